package org.pocaduck.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Base of the commands that open an existing store and query it. */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOptions storage;

    @Option(names = "--timing", description = "Print the query's timing (QueryTiming) to standard error.")
    boolean timing;

    @Override
    public final Integer call() {
        StorageConfig config = storage.toConfig();
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            return run(store, query);
        }
    }

    /** Runs the command against an open query of the consolidated store. */
    abstract int run(Store store, Query query);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void timing(QueryTiming queryTiming) {
        if (timing) {
            Output.printTiming(spec.commandLine().getErr(), queryTiming);
        }
    }
}
