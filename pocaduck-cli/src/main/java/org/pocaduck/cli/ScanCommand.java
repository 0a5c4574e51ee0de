package org.pocaduck.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.pocaduck.Capability;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.options.Output;
import org.pocaduck.options.ScanOptions;
import org.pocaduck.options.StorageOptions;
import org.pocaduck.scan.Scanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pocaduck scan}: the main job. See {@link Scanner} for how the volume is cut and read. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Scans a 3D label volume block by block and stores every label's voxels per block as a point "
                + "cloud (x, y, z in global voxel coordinates, then attributes), block id bx_by_bz (block grid "
                + "coordinates), then consolidates and prints a summary.",
                "Cluster mode (--worker-index/--worker-count): each process scans its share of the blocks and "
                        + "commits without consolidating; run 'pocaduck consolidate' after the last one."})
final class ScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOptions storage;

    @Mixin
    ScanOptions scan;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker threads in this process (default: the number of processors; 1 in cluster mode).")
    Integer workers;

    @Option(names = "--worker-index", paramLabel = "I", description = "Cluster mode: this process's share, 0 to count-1.")
    Integer workerIndex;

    @Option(names = "--worker-count", paramLabel = "N", description = "Cluster mode: how many processes share the blocks.")
    Integer workerCount;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if ((workerIndex == null) != (workerCount == null)) {
            throw new IllegalArgumentException("Cannot scan in cluster mode: give both --worker-index and --worker-count");
        }
        boolean cluster = workerCount != null;
        int threads = workers != null ? workers : cluster ? 1 : Runtime.getRuntime().availableProcessors();
        StorageConfig config = scan.storeConfig(storage);
        Scanner.Settings settings = scan.settings(threads, cluster ? workerIndex : 0, cluster ? workerCount : 1,
                "scan");
        PrintWriter out = spec.commandLine().getOut();
        try (Scanner scanner = new Scanner(settings); Store store = PocaDuck.open(config)) {
            if (cluster && !store.supports(Capability.MULTI_PROCESS)) {
                spec.commandLine().getErr().println("pocaduck: warning: storage type '" + config.storageType()
                        + "' lacks " + Capability.MULTI_PROCESS + ": cluster workers in separate processes cannot "
                        + "share its stores; only workers run in this one process reach the same store");
                spec.commandLine().getErr().flush();
            }
            if (!cluster) {
                try (Query query = store.query()) {
                    long labels = query.stats().labels();
                    if (labels > 0) {
                        throw new IllegalStateException("Cannot scan into store " + config.storageType() + ":"
                                + config.location() + ": it already holds " + labels
                                + " labels; scan into a new --location (cluster workers rerun with the same "
                                + "--worker-index replace their own output)");
                    }
                }
            }
            Scanner.Result result;
            try (ProgressBar bar = report.progress() ? ReportOptions.bar("scan", scanner.blocks(), " blocks", 1, false)
                    : null) {
                LongConsumer progress = bar == null ? n -> { } : bar::stepBy;
                result = scanner.run(store, progress);
            }
            StoreStats stats = null;
            if (!cluster) {
                store.consolidate(scan.memory().consolidationBytes());
                try (Query query = store.query()) {
                    stats = query.stats();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (report.summary()) {
                printSummary(out, config, settings, result, stats, seconds, scanner.slabDepth(),
                        scanner.ingestorBytes());
            }
        }
        return 0;
    }

    private void printSummary(PrintWriter out, StorageConfig config, Scanner.Settings settings, Scanner.Result result,
            StoreStats stats, double seconds, int slabDepth, long ingestorBytes) {
        Scanner.Spec spec = settings.spec();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("volume", scan.volume().toString());
        summary.put("shape_zyx", List.of(result.shape().z(), result.shape().y(), result.shape().x()));
        summary.put("block_size_xyz", List.of(spec.blockX(), spec.blockY(), spec.blockZ()));
        summary.put("dimensions", config.declaredSchema().map(PointSchema::toString).orElse("x,y,z"));
        summary.put("workers", settings.threads());
        summary.put("worker_index", settings.workerIndex());
        summary.put("worker_count", settings.workerCount());
        summary.put("blocks", result.blocks());
        if (stats != null) {
            summary.put("labels", stats.labels());
            summary.put("label_block_pairs", stats.labelBlockPairs());
        }
        summary.put("points", result.points());
        summary.put("writes", result.writes());
        summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
        summary.put("points_per_second", Math.round(result.points() / Math.max(seconds, 1e-9)));
        summary.put("max_memory_bytes", spec.maxMemoryBytes());
        summary.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
        summary.put("slab_depth", slabDepth);
        summary.put("ingestor_memory_bytes", ingestorBytes);
        summary.put("storage_type", config.storageType());
        summary.put("location", config.location());
        summary.put("consolidated", stats != null);
        if (report.json) {
            Output.json(out, summary);
            return;
        }
        out.printf(Locale.ROOT, "Scanned %s %s in %s blocks with %d worker thread(s)%s%n", scan.volume(), result.shape(),
                spec.blockX() + "x" + spec.blockY() + "x" + spec.blockZ(), settings.threads(),
                settings.workerCount() > 1 ? " as worker " + settings.workerIndex() + " of " + settings.workerCount()
                        : "");
        if (stats != null) {
            out.printf(Locale.ROOT, "  labels:            %,d%n", stats.labels());
        }
        out.printf(Locale.ROOT, "  points:            %,d%n", result.points());
        if (stats != null) {
            out.printf(Locale.ROOT, "  label-block pairs: %,d%n", stats.labelBlockPairs());
        } else {
            out.printf(Locale.ROOT, "  point clouds:      %,d (not consolidated: run 'pocaduck consolidate' after "
                    + "every worker)%n", result.writes());
        }
        out.printf(Locale.ROOT, "  seconds:           %.3f%n", seconds);
        out.printf(Locale.ROOT, "  points/s:          %,d%n", Math.round(result.points() / Math.max(seconds, 1e-9)));
        out.printf(Locale.ROOT, "  store:             %s %s%n", config.storageType(), config.location());
        out.flush();
    }
}
