package org.pocaduck.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.options.StorageOptions;
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

    /** With {@code --timing}, prints a timing as "timing: key=value ..." lines (SQL statements one per line). */
    void timing(QueryTiming queryTiming) {
        if (!timing) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder line = new StringBuilder("timing:");
        fields(queryTiming).forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        err.println(line);
        for (String sql : queryTiming.sql()) {
            err.println("timing: sql: " + sql);
        }
        err.flush();
    }

    /** The fields of a timing but its SQL, durations in milliseconds. */
    private static Map<String, Object> fields(QueryTiming timing) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("backend", timing.backend());
        fields.put("operation", timing.operation());
        fields.put("total_ms", millis(timing.total()));
        fields.put("index_lookup_ms", millis(timing.indexLookup()));
        fields.put("data_read_ms", millis(timing.dataRead()));
        fields.put("decode_ms", millis(timing.decode()));
        fields.put("files_touched", timing.filesTouched());
        fields.put("rows_read", timing.rowsRead());
        fields.put("bytes_read", timing.bytesRead());
        fields.put("read_requests", timing.readRequests());
        fields.put("points_returned", timing.pointsReturned());
        fields.put("cache_hit", timing.cacheHit());
        return fields;
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }
}
