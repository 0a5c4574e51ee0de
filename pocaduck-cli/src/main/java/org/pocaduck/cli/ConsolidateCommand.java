package org.pocaduck.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.options.MemoryOptions;
import org.pocaduck.options.StorageOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pocaduck consolidate}: makes every committed worker's output visible to queries. */
@Command(name = "consolidate", mixinStandardHelpOptions = true,
        description = "Merges every committed worker's output so queries see it (run after the cluster-mode "
                + "workers of a scan). Running it twice gives the same result.")
final class ConsolidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOptions storage;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing.")
    boolean quiet;

    @Mixin
    MemoryOptions memory;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        StorageConfig config = storage.toConfig();
        try (Store store = PocaDuck.openExisting(config)) {
            store.consolidate(memory.consolidationBytes());
            try (Query query = store.query()) {
                StoreStats stats = query.stats();
                if (!quiet) {
                    spec.commandLine().getOut().printf(Locale.ROOT,
                            "Consolidated %s %s: %,d labels, %,d points, %,d label-block pairs in %.3f s%n",
                            config.storageType(), config.location(), stats.labels(), stats.points(),
                            stats.labelBlockPairs(), (System.nanoTime() - start) / 1e9);
                    spec.commandLine().getOut().flush();
                }
            }
        }
        return 0;
    }
}
