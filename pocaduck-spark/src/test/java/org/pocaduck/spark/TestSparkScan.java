package org.pocaduck.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSummaries;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.migrate.Verification;
import org.pocaduck.migrate.VerificationResult;
import org.pocaduck.options.CommandLines;
import org.pocaduck.scan.Scanner;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.Volumes;
import picocli.CommandLine;

/**
 * The Spark scan in local mode ({@code local[2,2]}: two cores, a task may fail once and is
 * retried) on the real volumes of {@code shared/data}: stores checked against the label_stats
 * sidecars, a failing first attempt, reruns, and the refusals before any task runs.
 */
class TestSparkScan {
    private static final Path BODIES = SharedData.resolve("formats/gt_bodies.ome.zarr");
    private static final Path SUPERVOXELS = SharedData.resolve("formats/gt_supervoxels.zarr");
    private static final LabelStats BODY_STATS = LabelStats.read(
            SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));

    /** Attempts seen by the failing listener, by partition; executors share this JVM in local mode. */
    static final Map<Integer, Integer> ATTEMPTS = new ConcurrentHashMap<>();

    /** Counted down when a task reports waiting for {@link WaitsForBusyWorker#workerId}. */
    static volatile CountDownLatch busyWorkerWaitedFor = new CountDownLatch(1);

    /** Tells the test when a task waits for the busy worker id it names. */
    private record WaitsForBusyWorker(String workerId) implements SparkScan.TaskListener {
        @Override
        public void blocksDone(int partition, int attempt, long blocksDone) {
        }

        @Override
        public void waitingForBusyWorker(int partition, int attempt, String busy) {
            if (busy.equals(workerId)) {
                busyWorkerWaitedFor.countDown();
            }
        }
    }

    private static SparkSession spark;
    private static final AtomicInteger TASKS_STARTED = new AtomicInteger();
    private static volatile CountDownLatch jobEnded = new CountDownLatch(1);

    @TempDir
    static Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2,2]").appName("TestSparkScan")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart taskStart) {
                TASKS_STARTED.incrementAndGet();
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd jobEnd) {
                jobEnded.countDown();
            }
        });
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static SparkScan.Request bodies(StorageConfig store, int partitions, List<Scanner.Attribute> attributes) {
        return new SparkScan.Request(scan(BODIES, Optional.empty(), attributes), partitions, store);
    }

    /** What to scan: 64^3 blocks, background kept, 256 MiB per task. */
    private static Scanner.Spec scan(Path volume, Optional<String> format, List<Scanner.Attribute> attributes) {
        return new Scanner.Spec(volume, format, Map.of(), attributes, 64, 64, 64, true, 256L << 20);
    }

    private static StorageConfig parquet(String name) {
        return StorageConfig.builder("parquet-duckdb").location(dir.resolve(name)).build();
    }

    private static void assertMatchesStats(StorageConfig config) {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query();
                LabelSummaries summaries = query.labelSummaries()) {
            assertThat(BODY_STATS.differences(summaries, true)).isEmpty();
        }
    }

    /** The number of tasks started by what {@code action} did: counted up to the end of a one-task job run after it. */
    private static int tasksStartedBy(Runnable action) throws InterruptedException {
        int before = TASKS_STARTED.get();
        try {
            action.run();
        } finally {
            jobEnded = new CountDownLatch(1);
            new JavaSparkContext(spark.sparkContext()).parallelize(List.of(1), 1).count();
            // The listener bus delivers in order: after this job's end, every earlier task start has arrived.
            assertThat(jobEnded.await(30, TimeUnit.SECONDS)).isTrue();
        }
        return TASKS_STARTED.get() - before - 1;
    }

    @Test
    void omeZarrIntoParquetDuckdbEqualsLabelStatsAndAFailedFirstAttemptChangesNothing() {
        StorageConfig clean = parquet("clean");
        SparkScan.Result result = SparkScan.run(spark, bodies(clean, 6, List.of()));
        assertThat(result.partitions()).isEqualTo(6);
        assertThat(result.partitionsRun()).isEqualTo(6);
        assertThat(result.blocks()).isEqualTo(64);
        assertThat(result.points()).isEqualTo(BODY_STATS.totalVoxels());
        assertThat(result.stats().labels()).isEqualTo(BODY_STATS.byLabel().size());
        assertThat(result.warnings()).isEmpty();
        assertMatchesStats(clean);
        try (Store store = PocaDuck.openExisting(clean)) {
            assertThat(store.committedWorkers()).hasSize(6).allMatch(id -> id.startsWith(result.runName() + "-")
                    && id.endsWith("-of-6-t0"));
        }

        // Partition 2's first attempt throws after its first block: Spark retries it, and the store
        // equals the clean run's, point for point.
        StorageConfig retried = parquet("retried");
        ATTEMPTS.clear();
        SparkScan.Result again = SparkScan.run(spark, bodies(retried, 6, List.of()), (partition, attempt, done) -> {
            ATTEMPTS.merge(partition, attempt, Math::max);
            if (partition == 2 && attempt == 0 && done >= 1) {
                throw new IllegalStateException("test: attempt 0 of partition 2 fails after " + done + " block(s)");
            }
        });
        assertThat(ATTEMPTS).containsEntry(2, 1).containsEntry(0, 0);
        assertThat(again.points()).isEqualTo(result.points());
        assertThat(again.runName()).isEqualTo(result.runName());
        VerificationResult verified = Verification.between(clean, retried).run();
        assertThat(verified.mismatches()).isEmpty();
        assertThat(verified.clean()).isTrue();
        assertThat(verified.labels()).isEqualTo(BODY_STATS.byLabel().size());
        assertThat(verified.points()).isEqualTo(BODY_STATS.totalVoxels());

        // Rerunning the finished job skips every partition and leaves the store as it was.
        SparkScan.Result rerun = SparkScan.run(spark, bodies(retried, 6, List.of()));
        assertThat(rerun.partitionsRun()).isZero();
        assertThat(rerun.points()).isZero();
        assertThat(rerun.stats()).isEqualTo(result.stats());
        assertThat(Verification.between(clean, retried).run().clean()).isTrue();
    }

    @Test
    void aPartitionThatFailsEveryAttemptFailsTheJobAndARerunCompletesIt() throws Exception {
        StorageConfig config = parquet("resumed");
        assertThatThrownBy(() -> SparkScan.run(spark, bodies(config, 4, List.of()), (partition, attempt, done) -> {
            if (partition == 3) {
                throw new IllegalStateException("test: partition 3 always fails");
            }
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot finish the Spark scan of " + BODIES + " into parquet-duckdb:")
                .hasMessageContaining("test: partition 3 always fails")
                .hasMessageEndingWith("; the partitions that committed stay, and a rerun of the same job skips them");
        // Spark cancels the partitions still running when the job fails: those that had committed stay.
        int committed;
        try (Store store = PocaDuck.openExisting(config)) {
            committed = store.committedWorkers().size();
            assertThat(store.committedWorkers()).hasSizeLessThan(4)
                    .allMatch(id -> id.matches("spark-[0-9a-f]{12}-[012]-of-4-t0"));
            try (Query query = store.query()) {
                assertThat(query.stats().labels()).as("nothing consolidated").isZero();
            }
        }
        // The rerun finds partition 3's worker id busy (an ingestor held here, as a still-running
        // attempt would hold it): its task waits, and finishes once the other run has ended.
        String busyId = SparkScan.workerId(bodies(config, 4, List.of()), 3);
        assertThat(busyId).endsWith("-3-of-4-t0");
        SparkScan.Result rerun;
        busyWorkerWaitedFor = new CountDownLatch(1);
        try (Store store = PocaDuck.openExisting(config); Ingestor holder = store.ingestor(busyId)) {
            CompletableFuture<SparkScan.Result> job = CompletableFuture.supplyAsync(
                    () -> SparkScan.run(spark, bodies(config, 4, List.of()), new WaitsForBusyWorker(busyId)));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!busyWorkerWaitedFor.await(100, TimeUnit.MILLISECONDS)) {
                assertThat(job).as("the job, before partition 3's task reports waiting for " + busyId).isNotDone();
                assertThat(System.nanoTime() - deadline).as("partition 3's task waits for its busy worker id")
                        .isNegative();
            }
            assertThat(job).as("the job, while partition 3 waits").isNotDone();
            holder.abort();
            rerun = job.get(2, TimeUnit.MINUTES);
        }
        // (An attempt of the failed job that Spark was still cancelling may have committed meanwhile.)
        assertThat(rerun.partitionsRun()).isBetween(1, 4 - committed);
        assertMatchesStats(config);
    }

    @Test
    void intoTabularOnDuckdbWithASupervoxelAttributeFromZarrV3() throws Exception {
        StorageConfig config = StorageConfig.builder("tabular").location(dir.resolve("bodies.duckdb").toString())
                .build();
        SparkScan.Result result = SparkScan.run(spark,
                bodies(config, 5, List.of(new Scanner.Attribute("supervoxel", SUPERVOXELS))));
        assertThat(result.partitionsRun()).isEqualTo(5);
        assertMatchesStats(config);
        // Each point's fourth value is the supervoxel volume at that voxel.
        long label = BODY_STATS.byLabel().values().stream().filter(r -> r.label() != 0)
                .max((a, b) -> Long.compare(a.voxelCount(), b.voxelCount())).orElseThrow().label();
        try (Store store = PocaDuck.openExisting(config); Query query = store.query();
                VolumeSource supervoxels = Volumes.open(SUPERVOXELS, Optional.empty(), Map.of())) {
            assertThat(store.schema()).contains(new PointSchema(List.of("x", "y", "z", "supervoxel")));
            PointCloud points = query.points(label);
            long[] one = new long[1];
            for (int i = 0; i < points.size(); i += Math.max(1, points.size() / 500)) {
                supervoxels.read(new Box(points.get(i, 2), points.get(i, 1), points.get(i, 0), 1, 1, 1), one);
                assertThat(points.get(i, 3)).as("supervoxel of point %d", i).isEqualTo(one[0]);
            }
        }
    }

    @Test
    void gzipRawVolumesScanCorrectlyWithAWarning() {
        StorageConfig config = parquet("raw");
        SparkScan.Request request = new SparkScan.Request(scan(SharedData.resolve(
                "neuroproof_ts2/gt_bodies.u64.raw.gz"), Optional.empty(), List.of()), 2, config);
        SparkScan.Result result = SparkScan.run(spark, request);
        assertThat(result.warnings()).singleElement().asString()
                .contains("gzip-compressed raw, which cannot be read from the middle")
                .contains("each of the 2 partitions decompresses it from the start")
                .contains("chunked format (Zarr, OME-Zarr, HDF5, TIFF or an image stack)");
        assertMatchesStats(config);
    }

    @Test
    void badInputIsRefusedByTheDriverBeforeAnyTaskRuns() throws Exception {
        StorageConfig config = parquet("refused");
        Path missing = dir.resolve("no-such.ome.zarr");
        assertThat(tasksStartedBy(() -> assertThatThrownBy(() -> SparkScan.run(spark, new SparkScan.Request(
                scan(missing, Optional.empty(), List.of()), 4, config)))
                .isInstanceOf(VolumeException.class)
                .hasMessage("Cannot open volume " + missing + ": no such file or directory"))).isZero();

        assertThat(tasksStartedBy(() -> assertThatThrownBy(() -> SparkScan.run(spark, new SparkScan.Request(
                scan(BODIES, Optional.of("netcdf"), List.of()), 4, config)))
                .isInstanceOf(VolumeException.class)
                .hasMessageStartingWith("Cannot open volume " + BODIES + " as format 'netcdf': unknown format; "
                        + "available: "))).isZero();

        // A store holding another run's labels: here a one-process scan by the CLI's scanner.
        StorageConfig taken = parquet("taken").toBuilder().schema(new PointSchema(List.of("x", "y", "z"))).build();
        try (Store store = PocaDuck.open(taken); Scanner scanner = new Scanner(new Scanner.Settings(
                scan(BODIES, Optional.empty(), List.of()), 2, 0, 1, "scan"))) {
            scanner.run(store, n -> { });
            store.consolidate();
        }
        long[] before = stats(taken);
        assertThat(tasksStartedBy(() -> assertThatThrownBy(() -> SparkScan.run(spark, bodies(taken, 4, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot scan into store parquet-duckdb:" + dir.resolve("taken") + ": it already holds "
                        + BODY_STATS.byLabel().size() + " labels and the committed output of 2 worker(s) of another "
                        + "run (scan-0-of-1-t0, scan-0-of-1-t1); scan into a new location (a rerun of the same job, "
                        + "with the same volume, options and partitions, resumes)"))).isZero();
        assertThat(stats(taken)).isEqualTo(before);

        assertThat(tasksStartedBy(() -> assertThatThrownBy(() -> SparkScan.run(spark, bodies(
                config.toBuilder().schema(new PointSchema(List.of("x", "y", "z", "sv"))).build(), 4, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan into store parquet-duckdb:" + dir.resolve("refused") + ": it declares "
                        + "dimensions x,y,z,sv but the scan writes x,y,z (x, y, z, then the attribute names)")))
                .isZero();
        assertThat(Files.exists(dir.resolve("refused"))).as("nothing written").isFalse();
    }

    @Test
    void theMainClassTakesTheOptionsOfPocaduckScan() {
        Path location = dir.resolve("main");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = CommandLines.configure(new CommandLine(new SparkScanMain()));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(BODIES.toString(), "--location", location.toString(), "--keep-background",
                "--partitions", "3", "--json");
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(out.toString()).contains("\"labels\" : " + BODY_STATS.byLabel().size())
                .contains("\"points\" : " + BODY_STATS.totalVoxels()).contains("\"partitions\" : 3")
                .contains("\"partitions_run\" : 3").contains("\"storage_type\" : \"parquet-duckdb\"");
        assertMatchesStats(parquet("main"));
        assertThat(spark.sparkContext().isStopped()).as("the caller's session keeps running").isFalse();

        StringWriter badErr = new StringWriter();
        CommandLine bad = CommandLines.configure(new CommandLine(new SparkScanMain()));
        bad.setErr(new PrintWriter(badErr, true));
        assertThat(bad.execute(BODIES.toString(), "--location", dir.resolve("bad").toString(), "--block-size", "0"))
                .isEqualTo(1);
        assertThat(badErr.toString().strip())
                .isEqualTo("pocaduck: Cannot use --block-size '0': sizes must be at least 1");
        assertThat(Files.exists(dir.resolve("bad"))).isFalse();
    }

    private static long[] stats(StorageConfig config) {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            return new long[] {query.stats().labels(), query.stats().points(), query.stats().labelBlockPairs(),
                    store.committedWorkers().size()};
        }
    }
}
