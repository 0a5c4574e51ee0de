package org.pocaduck.spark;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.pocaduck.StorageConfig;
import org.pocaduck.options.CommandLines;
import org.pocaduck.options.Output;
import org.pocaduck.options.ScanOptions;
import org.pocaduck.options.StorageOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The job's main class for {@code spark-submit}: the options of {@code pocaduck scan} (volume,
 * format, attributes, block size, background, {@code --max-memory} per task, and the storage
 * options) plus {@code --partitions}, then one {@link SparkScan} and a summary on standard output.
 * The master comes from {@code spark-submit} ({@code --master}), or from {@code --master} here when
 * the class is run with {@code java} directly.
 *
 * <p>Exit codes: 0 success, 1 the scan failed (the message says "Cannot ..."; the driver running
 * out of memory prints one such line), 2 bad usage.
 */
@Command(name = "pocaduck-spark-scan", mixinStandardHelpOptions = true, version = "pocaduck-spark 0.1.0",
        description = {"Scans a 3D label volume into a store as one Spark job: the driver plans the block grid into "
                + "partitions, each task scans its share and commits, the driver consolidates once.",
                "The volume and the store must be at the same path on every executor (a shared file system)."})
public final class SparkScanMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOptions storage;

    @Mixin
    ScanOptions scan;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Shares of the block grid, one task each (default: one per 64 Mi voxels, at least 16, "
                    + "at most one per block). A rerun must use the same number.")
    int partitions;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not run through spark-submit, e.g. local[4] (default: spark-submit's).")
    String master;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    /** Runs the job and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(CommandLines.execute(() -> CommandLines.configure(new CommandLine(new SparkScanMain())), args));
    }

    @Override
    public Integer call() {
        StorageConfig config = scan.storeConfig(storage);
        SparkScan.Request request = new SparkScan.Request(scan.spec(), partitions, config);
        SparkSession.Builder builder = SparkSession.builder().appName("pocaduck scan " + scan.volume().getFileName());
        if (master != null) {
            builder.master(master);
        }
        // A session that was already running (this class called from a driver program) is left running.
        boolean ours = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
        SparkSession spark = builder.getOrCreate();
        SparkScan.Result result;
        try {
            result = SparkScan.run(spark, request);
        } finally {
            if (ours) {
                spark.stop();
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : result.warnings()) {
            err.println("pocaduck-spark-scan: warning: " + warning);
        }
        err.flush();
        print(spec.commandLine().getOut(), config, result);
        return 0;
    }

    private void print(PrintWriter out, StorageConfig config, SparkScan.Result result) {
        double seconds = result.elapsed().toNanos() / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("volume", scan.volume().toString());
        summary.put("shape_zyx", List.of(result.shape().z(), result.shape().y(), result.shape().x()));
        summary.put("partitions", result.partitions());
        summary.put("partitions_run", result.partitionsRun());
        summary.put("blocks", result.blocks());
        summary.put("labels", result.stats().labels());
        summary.put("label_block_pairs", result.stats().labelBlockPairs());
        summary.put("points", result.stats().points());
        summary.put("points_written", result.points());
        summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
        summary.put("points_per_second", Math.round(result.points() / Math.max(seconds, 1e-9)));
        summary.put("storage_type", config.storageType());
        summary.put("location", config.location());
        summary.put("worker_ids", result.runName() + "-<k>-of-" + result.partitions() + "-t0");
        if (json) {
            Output.json(out, summary);
            return;
        }
        out.printf(Locale.ROOT, "Scanned %s %s with Spark in %d partitions (%d run by this job)%n", scan.volume(),
                result.shape(), result.partitions(), result.partitionsRun());
        out.printf(Locale.ROOT, "  labels:            %,d%n", result.stats().labels());
        out.printf(Locale.ROOT, "  points:            %,d%n", result.stats().points());
        out.printf(Locale.ROOT, "  label-block pairs: %,d%n", result.stats().labelBlockPairs());
        out.printf(Locale.ROOT, "  seconds:           %.3f%n", seconds);
        out.printf(Locale.ROOT, "  points/s:          %,d%n", Math.round(result.points() / Math.max(seconds, 1e-9)));
        out.printf(Locale.ROOT, "  store:             %s %s%n", config.storageType(), config.location());
        out.flush();
    }
}
