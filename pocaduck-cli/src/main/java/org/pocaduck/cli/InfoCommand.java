package org.pocaduck.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.options.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pocaduck info}: the store's backend and totals. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints the store's backend, schema and totals: labels, points, label-block pairs, files, bytes.")
final class InfoCommand extends StoreCommand {
    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    int run(Store store, Query query) {
        long start = System.nanoTime();
        StoreStats stats = query.stats();
        double millis = (System.nanoTime() - start) / 1e6;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("storage_type", store.storageType());
        info.put("location", store.config().location());
        info.put("capabilities", store.capabilities().stream().map(Enum::name).sorted().toList());
        info.put("dimensions", query.schema().map(PointSchema::toString).orElse(""));
        info.put("labels", stats.labels());
        info.put("points", stats.points());
        info.put("label_block_pairs", stats.labelBlockPairs());
        info.put("files", stats.files());
        info.put("bytes", stats.bytes());
        PrintWriter out = out();
        if (json) {
            Output.json(out, info);
        } else {
            info.forEach((key, value) -> out.printf(Locale.ROOT, "%-18s %s%n", key + ":",
                    value instanceof Long number ? String.format(Locale.ROOT, "%,d", number) : value));
            out.flush();
        }
        if (timing) {
            spec.commandLine().getErr().printf(Locale.ROOT, "timing: operation=stats total_ms=%.3f%n", millis);
            spec.commandLine().getErr().flush();
        }
        return 0;
    }
}
