package org.pocaduck.spark;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.pocaduck.Capability;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.WorkerBusyException;
import org.pocaduck.budget.MemoryBudget;
import org.pocaduck.scan.Scanner;
import org.pocaduck.volume.VolumeShape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a label volume into any store as one Spark job: the same scan as {@code pocaduck scan}
 * (the {@link Scanner} of {@code pocaduck-scan}: one scanner, two drivers), with Spark doing the
 * scheduling, retries and stragglers of cluster mode.
 *
 * <p><b>Plan.</b> The driver opens the volume for its metadata only (shape, format, attribute
 * shapes) and cuts the block grid, numbered in C order (x fastest), into {@code P} contiguous
 * shares, as {@code --worker-index k --worker-count P} would. Partition {@code k} of the job is
 * share {@code k}: its task reads only its blocks' slabs, groups them and writes through
 * {@link Scanner#run} under worker id {@code spark-<fingerprint>-<k>-of-<P>-t0}, and commits. A task
 * groups on one thread (plus one thread reading the next slab): the parallelism is Spark's, one
 * task per core, and one ingestor per partition makes its commit the partition's single commit
 * point. After every task has succeeded the driver
 * consolidates once. The fingerprint is murmur3 over the volume's absolute path, format and
 * options, the attributes, block size, background rule and {@code P}: it names the plan, not the
 * run, so a rerun of the same job writes the same worker ids.
 *
 * <p><b>Retries, speculation and reruns.</b> A task attempt that fails commits nothing (the
 * scanner aborts its ingestors). A rerun of a partition, whether a Spark retry or a rerun of the
 * whole job, writes the same worker ids and its commit replaces the earlier output of those ids,
 * so the store is as if each partition ran once; every attempt of a partition writes the same
 * points, so which attempt's commit is current does not change the result, and nothing depends on
 * the executors' clocks. Two attempts of one partition at once: the backend admits one ingestor
 * per worker id (parquet-duckdb: a file lock per worker; tabular: per JVM), and the later attempt
 * waits ({@link WorkerBusyException}, up to {@link #BUSY_WAIT}) until the earlier one has ended,
 * then writes the same points again; Spark kills whichever attempt is no longer needed. A rerun of the whole job skips the partitions whose worker ids have already
 * committed, then consolidates.
 *
 * <p><b>Refused before any task runs</b> (nothing written): a volume that does not exist or whose
 * format is unknown or undetected, an attribute volume of another shape, a memory budget that
 * cannot hold one slice, a read-only store, a store declaring other dimensions, a store holding
 * the committed output of any other run (its worker ids are not this plan's), and a storage type
 * that cannot be shared between processes ({@link Capability#MULTI_PROCESS}) when the master is
 * not {@code local}.
 *
 * <p><b>Volumes.</b> Every executor must reach the volume and the store at the same path: a shared
 * file system. Chunked formats (Zarr v2/v3, OME-Zarr, HDF5, TIFF and image stacks) are read
 * chunk by chunk, so a task reads only its share. A gzip-compressed raw volume cannot be read from
 * the middle: each task decompresses it from the start up to its share, so P partitions
 * decompress the volume about P/2 times; the scan is correct but {@link Result#warnings()} says
 * so. Convert such volumes to a chunked format for distributed scans.
 *
 * <p>Thread-safety: {@link #run} may be called from several threads of a driver at once, with
 * different stores.
 */
public final class SparkScan {
    private static final Logger LOG = LoggerFactory.getLogger(SparkScan.class);

    /** Voxels per partition when the request leaves the partition count to the plan. */
    public static final long DEFAULT_PARTITION_VOXELS = 64L << 20;

    /** The fewest partitions the default plan makes (fewer only when the grid has fewer blocks). */
    public static final int DEFAULT_MIN_PARTITIONS = 16;

    private SparkScan() {
    }

    /**
     * What to scan into which store.
     *
     * @param scan what to scan, as {@code pocaduck scan} takes it: the volume, on storage every
     *     executor reaches at that path, its format and attributes, the block size, the background
     *     rule, and each task's memory budget B ({@link Scanner.Spec#maxMemoryBytes()}, divided as
     *     {@link MemoryBudget} says: slabs, grouping scratch and the task's ingestor; the driver's
     *     consolidation takes the native share)
     * @param partitions how many shares the block grid is cut into, or 0 for the default plan
     *     (one share per {@link #DEFAULT_PARTITION_VOXELS} voxels, at least
     *     {@link #DEFAULT_MIN_PARTITIONS}, at most one per block); a rerun must use the same
     * @param store the store; its {@code dimensions}, if declared, must be x, y, z then the
     *     attribute names. Its settings, secrets included, are sent to the executors.
     */
    public record Request(Scanner.Spec scan, int partitions, StorageConfig store) {
        public Request {
            Objects.requireNonNull(scan, "scan is null");
            Objects.requireNonNull(store, "store is null");
            if (partitions < 0) {
                throw new IllegalArgumentException("Cannot scan in " + partitions
                        + " partitions: give at least 1, or 0 for the default plan");
            }
        }
    }

    /**
     * Told as each task attempt finishes blocks, and when it waits for a busy worker id. Runs on
     * the executors, on the scan's worker threads (so it must be thread-safe and serializable);
     * an exception it throws fails that task attempt, which then commits nothing. For metrics,
     * logs, or making an attempt fail in a test, or a test waiting for an attempt to wait.
     */
    @FunctionalInterface
    public interface TaskListener extends Serializable {
        /**
         * @param partition the partition (share) index, 0 to P-1
         * @param attempt Spark's attempt number of the task, 0 for the first
         * @param blocksDone blocks this attempt has finished so far
         */
        void blocksDone(int partition, int attempt, long blocksDone);

        /**
         * Told each time an attempt finds its partition's worker id busy (another attempt of the
         * partition still holds it) and waits before trying again, about once a second. An
         * exception it throws fails the attempt. Does nothing unless overridden.
         *
         * @param partition the partition (share) index, 0 to P-1
         * @param attempt Spark's attempt number of the task, 0 for the first
         * @param workerId the busy worker id
         */
        default void waitingForBusyWorker(int partition, int attempt, String workerId) {
        }
    }

    /**
     * What one job did.
     *
     * @param shape the volume's shape
     * @param partitions P, the shares of the plan
     * @param partitionsRun the partitions this job ran (the others had committed in an earlier run)
     * @param blocks blocks scanned by this job
     * @param points points written by this job
     * @param writes point clouds written by this job
     * @param stats the consolidated store's statistics
     * @param elapsed the job's wall time, planning and consolidation included
     * @param runName the first part of the plan's worker ids, {@code spark-<fingerprint>}
     * @param warnings what the caller should know (a gzip-compressed raw volume, for one)
     */
    public record Result(VolumeShape shape, int partitions, int partitionsRun, long blocks, long points, long writes,
            StoreStats stats, Duration elapsed, String runName, List<String> warnings) {
    }

    /** What one partition's task did; sent from executor to driver. */
    private record TaskResult(int partition, long blocks, long points, long writes) implements Serializable {
    }

    /**
     * The plan as the executors get it: a {@link Scanner.Spec} in serializable pieces (paths as
     * strings, no {@code Optional}), the partition count, run name and store settings.
     */
    private record Plan(String volume, String format, HashMap<String, String> formatOptions,
            ArrayList<String> attributeNames, ArrayList<String> attributePaths, int blockX, int blockY, int blockZ,
            boolean keepBackground, long maxMemoryBytes, int partitions, String runName,
            HashMap<String, String> store) implements Serializable {

        static Plan of(Scanner.Spec scan, StorageConfig config, int partitions, String runName) {
            ArrayList<String> names = new ArrayList<>();
            ArrayList<String> paths = new ArrayList<>();
            for (Scanner.Attribute attribute : scan.attributes()) {
                names.add(attribute.name());
                paths.add(attribute.path().toString());
            }
            HashMap<String, String> store = new HashMap<>();
            config.toProperties().forEach((key, value) -> store.put((String) key, (String) value));
            return new Plan(scan.volume().toString(), scan.format().orElse(null), new HashMap<>(scan.formatOptions()),
                    names, paths, scan.blockX(), scan.blockY(), scan.blockZ(), scan.keepBackground(),
                    scan.maxMemoryBytes(), partitions, runName, store);
        }

        /** @return partition {@code k}'s settings: its share of the plan on one thread */
        Scanner.Settings settings(int partition) {
            List<Scanner.Attribute> attributes = new ArrayList<>();
            for (int a = 0; a < attributeNames.size(); a++) {
                attributes.add(new Scanner.Attribute(attributeNames.get(a), Path.of(attributePaths.get(a))));
            }
            Scanner.Spec scan = new Scanner.Spec(Path.of(volume), Optional.ofNullable(format), formatOptions,
                    attributes, blockX, blockY, blockZ, keepBackground, maxMemoryBytes);
            return new Scanner.Settings(scan, 1, partition, partitions, runName);
        }
    }

    /**
     * Runs the scan as one Spark job and consolidates the store; {@link #run(SparkSession, Request,
     * TaskListener)} without a listener.
     *
     * @param spark the session; its master decides where tasks run
     * @param request what to scan into which store
     * @return what the job did, with the consolidated store's statistics
     * @throws org.pocaduck.volume.VolumeException as the other form
     * @throws IllegalArgumentException as the other form
     * @throws IllegalStateException as the other form
     * @throws UnsupportedOperationException as the other form
     * @throws org.pocaduck.PocaDuckException as the other form
     */
    public static Result run(SparkSession spark, Request request) {
        return run(spark, request, (partition, attempt, blocksDone) -> { });
    }

    /**
     * Runs the scan as one Spark job and consolidates the store.
     *
     * @param spark the session; its master decides where tasks run
     * @param request what to scan into which store
     * @param listener told of each attempt's progress on the executors
     * @return what the job did, with the consolidated store's statistics
     * @throws org.pocaduck.volume.VolumeException if the volume or an attribute volume cannot be
     *     opened, its format is unknown, or the shapes differ (before any task runs)
     * @throws IllegalArgumentException if a size or budget breaks its rule, or the store declares
     *     other dimensions (before any task runs)
     * @throws IllegalStateException if the store holds another run's output or cannot be shared
     *     between the executors (before any task runs), or if a partition failed on every attempt
     *     Spark allows (the message names the cause; committed partitions stay, and a rerun of the
     *     same job skips them)
     * @throws UnsupportedOperationException if the store is read-only
     * @throws org.pocaduck.PocaDuckException if the store cannot be opened or consolidated
     */
    public static Result run(SparkSession spark, Request request, TaskListener listener) {
        long start = System.nanoTime();
        Objects.requireNonNull(spark, "spark is null");
        Objects.requireNonNull(request, "request is null");
        Objects.requireNonNull(listener, "listener is null");
        Scanner.Spec scan = request.scan();
        StorageConfig config = Scanner.withScanSchema(request.store(), scan.attributes());
        List<String> warnings = new ArrayList<>();

        // Metadata only: the scanner opens the volumes and plans; nothing is read until run().
        Scanner.Settings probe = probe(request, "spark", 0, 1);
        VolumeShape shape;
        long totalBlocks;
        String format;
        try (Scanner scanner = new Scanner(probe)) {
            shape = scanner.shape();
            totalBlocks = scanner.blocks();
            format = scanner.format();
        }
        int partitions = partitions(request, shape, totalBlocks);
        String runName = "spark-" + fingerprint(request, partitions);
        if (format.equals("raw") && scan.volume().getFileName().toString().endsWith(".gz")) {
            warnings.add("the volume " + scan.volume() + " is gzip-compressed raw, which cannot be read from the "
                    + "middle: each of the " + partitions + " partitions decompresses it from the start up to its "
                    + "share; convert it to a chunked format (Zarr, OME-Zarr, HDF5, TIFF or an image stack) for "
                    + "distributed scans");
        }

        List<Integer> toRun = new ArrayList<>();
        try (Store store = PocaDuck.open(config)) {
            String master = spark.sparkContext().master();
            if (!master.startsWith("local") && !store.supports(Capability.MULTI_PROCESS)) {
                throw new IllegalStateException("Cannot scan into store " + config.storageType() + ":"
                        + config.location() + " with master " + master + ": storage type '" + config.storageType()
                        + "' lacks " + Capability.MULTI_PROCESS + ", so executors in other processes cannot share "
                        + "its stores; use a storage type that has it (parquet-duckdb) or a local master");
            }
            Set<String> committed = store.committedWorkers();
            List<String> ours = new ArrayList<>();
            for (int k = 0; k < partitions; k++) {
                ours.add(probe(request, runName, k, partitions).workerId(0));
            }
            List<String> foreign = committed.stream().filter(id -> !ours.contains(id)).toList();
            if (!foreign.isEmpty()) {
                long labels;
                try (Query query = store.query()) {
                    labels = query.stats().labels();
                }
                throw new IllegalStateException("Cannot scan into store " + config.storageType() + ":"
                        + config.location() + ": it already holds " + labels + " labels and the committed output of "
                        + foreign.size() + " worker(s) of another run (" + String.join(", ",
                        foreign.subList(0, Math.min(3, foreign.size()))) + (foreign.size() > 3 ? ", ..." : "")
                        + "); scan into a new location (a rerun of the same job, with the same volume, options and "
                        + "partitions, resumes)");
            }
            for (int k = 0; k < partitions; k++) {
                if (!committed.contains(ours.get(k))) {
                    toRun.add(k);
                }
            }
            LOG.info("Spark scan of {} into {}:{}: {} partitions, {} to run, worker ids {}-<k>-of-{}-t0",
                    scan.volume(), config.storageType(), config.location(), partitions, toRun.size(), runName,
                    partitions);
        }
        for (String warning : warnings) {
            LOG.warn("Spark scan: {}", warning);
        }

        Plan plan = Plan.of(scan, config, partitions, runName);
        long blocks = 0;
        long points = 0;
        long writes = 0;
        if (!toRun.isEmpty()) {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            context.setJobDescription("pocaduck scan " + scan.volume() + " (" + toRun.size() + " of " + partitions
                    + " partitions)");
            List<TaskResult> results;
            try {
                results = context.parallelize(toRun, toRun.size()).map(k -> runTask(plan, k, listener)).collect();
            } catch (Exception e) {
                // Spark throws its checked SparkException through the Java API undeclared.
                throw new IllegalStateException("Cannot finish the Spark scan of " + scan.volume() + " into "
                        + config.storageType() + ":" + config.location() + ": " + sparkFailure(e)
                        + "; the partitions that committed stay, and a rerun of the same job skips them", e);
            } finally {
                context.setJobDescription(null);
            }
            for (TaskResult result : results) {
                blocks += result.blocks();
                points += result.points();
                writes += result.writes();
            }
        }
        StoreStats stats;
        try (Store store = PocaDuck.open(config)) {
            store.consolidate(MemoryBudget.consolidationBytes(scan.maxMemoryBytes()));
            try (Query query = store.query()) {
                stats = query.stats();
            }
        }
        return new Result(shape, partitions, toRun.size(), blocks, points, writes, stats,
                Duration.ofNanos(System.nanoTime() - start), runName, List.copyOf(warnings));
    }

    /**
     * The worker id partition {@code k} of this request's plan writes under, as {@link #run} would
     * use it: {@code spark-<fingerprint>-<k>-of-<P>-t0}. Opens the volume for its metadata when the
     * request leaves P to the default plan.
     *
     * @param request the request
     * @param partition k, 0 to P-1
     * @return the worker id
     * @throws org.pocaduck.volume.VolumeException if the volume cannot be opened (default plan only)
     * @throws IllegalArgumentException if {@code partition} is outside the plan
     */
    public static String workerId(Request request, int partition) {
        int partitions = request.partitions();
        if (partitions == 0) {
            try (Scanner scanner = new Scanner(probe(request, "spark", 0, 1))) {
                partitions = partitions(request, scanner.shape(), scanner.blocks());
            }
        }
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("Cannot name the worker of partition " + partition + ": the plan has "
                    + partitions + " partitions");
        }
        return probe(request, "spark-" + fingerprint(request, partitions), partition, partitions).workerId(0);
    }

    /** How long a task waits for another attempt of its partition to end before it fails. */
    public static final Duration BUSY_WAIT = Duration.ofMinutes(10);

    /**
     * One partition's task, on an executor. If another attempt of the partition still runs (a
     * speculative copy, or an attempt of a failed job that Spark is still cancelling), the worker
     * id is busy: the task waits for it, polling every second for up to {@link #BUSY_WAIT}, then
     * scans and commits the same points again.
     */
    private static TaskResult runTask(Plan plan, int partition, TaskListener listener) {
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (true) {
            try {
                return scanOnce(plan, partition, listener);
            } catch (WorkerBusyException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot scan partition " + partition + ": its worker id stayed busy "
                            + "for " + BUSY_WAIT.toMinutes() + " minutes: " + e.getMessage(), e);
                }
                LOG.info("Partition {}: {}; waiting for the other attempt to end", partition, e.getMessage());
                listener.waitingForBusyWorker(partition, attempt(), plan.settings(partition).workerId(0));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Cannot scan partition " + partition + ": interrupted while its "
                            + "worker id was busy", interrupted);
                }
            }
        }
    }

    /** @return Spark's attempt number of the running task, 0 outside a task */
    private static int attempt() {
        TaskContext task = TaskContext.get();
        return task == null ? 0 : task.attemptNumber();
    }

    private static TaskResult scanOnce(Plan plan, int partition, TaskListener listener) {
        int attempt = attempt();
        Scanner.Settings settings = plan.settings(partition);
        StorageConfig config = StorageConfig.fromMap(plan.store());
        long[] done = new long[1];
        try (Scanner scanner = new Scanner(settings); Store store = PocaDuck.open(config)) {
            Scanner.Result result = scanner.run(store, n -> {
                long now;
                synchronized (done) {
                    done[0] += n;
                    now = done[0];
                }
                listener.blocksDone(partition, attempt, now);
            });
            return new TaskResult(partition, result.blocks(), result.points(), result.writes());
        }
    }

    private static int partitions(Request request, VolumeShape shape, long totalBlocks) {
        long wanted = request.partitions() > 0 ? request.partitions()
                : Math.max(DEFAULT_MIN_PARTITIONS, (shape.voxels() + DEFAULT_PARTITION_VOXELS - 1)
                        / DEFAULT_PARTITION_VOXELS);
        long partitions = Math.max(1, Math.min(wanted, totalBlocks));
        if (partitions > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot scan " + request.scan().volume() + " in " + partitions
                    + " partitions: at most " + (Integer.MAX_VALUE - 8) + "; use larger blocks or fewer partitions");
        }
        return (int) partitions;
    }

    private static Scanner.Settings probe(Request request, String runName, int partition, int partitions) {
        return new Scanner.Settings(request.scan(), 1, partition, partitions, runName);
    }

    private static String fingerprint(Request request, int partitions) {
        Scanner.Spec scan = request.scan();
        Hasher hasher = Hashing.murmur3_128().newHasher();
        putString(hasher, scan.volume().toAbsolutePath().normalize().toString());
        putString(hasher, scan.format().orElse(""));
        new TreeMap<>(scan.formatOptions()).forEach((key, value) -> {
            putString(hasher, key);
            putString(hasher, value);
        });
        hasher.putInt(scan.attributes().size());
        for (Scanner.Attribute attribute : scan.attributes()) {
            putString(hasher, attribute.name());
            putString(hasher, attribute.path().toAbsolutePath().normalize().toString());
        }
        hasher.putInt(scan.blockX()).putInt(scan.blockY()).putInt(scan.blockZ())
                .putBoolean(scan.keepBackground()).putInt(partitions);
        return hasher.hash().toString().substring(0, 12);
    }

    private static void putString(Hasher hasher, String text) {
        hasher.putInt(text.length()).putString(text, StandardCharsets.UTF_8);
    }

    /** The first line of a failed job's message: Spark's stage failure with the task's exception. */
    private static String sparkFailure(Exception e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof SparkException)) {
            cause = cause.getCause();
        }
        String message = (cause != null ? cause : e).getMessage();
        if (message == null) {
            return e.toString();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
