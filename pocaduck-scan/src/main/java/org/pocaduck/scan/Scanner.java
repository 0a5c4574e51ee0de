package org.pocaduck.scan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.pocaduck.Ingestor;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.budget.MemoryBudget;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.Volumes;

/**
 * The scan engine behind {@code pocaduck scan} and the Spark job ({@code pocaduck-spark}): reads a
 * label volume slab by slab, cuts it into blocks and writes, for every label in every block, the label's voxels as points
 * (x, y, z, then one value per attribute volume) with block id {@code bx_by_bz} (the block's
 * grid coordinates, x first; the grid is anchored at voxel 0, 0, 0).
 *
 * <p>Work split: the blocks, numbered in C order of the grid (z-row major, x fastest), are cut
 * into {@code workerCount} contiguous ranges; worker {@code workerIndex} takes its range, so
 * separate processes of a job array each scan their share (deterministically) and a later
 * consolidation merges them. Inside one process, {@code threads} threads each group blocks and
 * write through their own {@link Ingestor} (worker id {@code <run>-<index>-of-<count>-t<thread>}, where
 * {@code run} is {@link Settings#runName()}, {@code scan} for the CLI),
 * while one reader thread decompresses the next slab (and one more thread per attribute volume
 * reads that volume's slab alongside).
 *
 * <p>Memory: {@code maxMemoryBytes} is the process's budget B, divided by {@link MemoryBudget}: of
 * its usable part U, the slabs (two: the one being grouped and the one being read, of one
 * block-row depth, fewer slices if U/2 demands; never the whole volume) and the threads' grouping
 * scratch take at most half, and the threads' ingestors share the rest equally (each at least
 * {@link #MIN_INGESTOR_BYTES}; see {@link Store#ingestor(String, long)}). A block split
 * over several slabs gets one write per slab for each of its labels; writes of one (label,
 * block) append, so the stored result is the same.
 *
 * <p>Not thread-safe; close it to release the volumes.
 */
public final class Scanner implements AutoCloseable {
    /** The smallest memory budget a thread's ingestor gets, bytes (1 MiB). */
    public static final long MIN_INGESTOR_BYTES = Store.MIN_MEMORY_BUDGET_BYTES;

    /**
     * An attribute volume, appended to every point as a dimension named {@code name}.
     *
     * @param name the dimension's name
     * @param path the volume, on the same grid as the label volume (format detected)
     */
    public record Attribute(String name, Path path) {
        public Attribute {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(path, "path is null");
        }
    }

    /**
     * What to scan, in which blocks and within which budget: everything of a scan but how it is
     * shared out (see {@link Settings}). {@code pocaduck scan} and the Spark job's request both
     * hold one.
     *
     * @param volume the label volume
     * @param format a volume format to force, or empty to detect
     * @param formatOptions options of the volume format
     * @param attributes attribute volumes on the same grid, in dimension order
     * @param blockX block size in x, voxels
     * @param blockY block size in y
     * @param blockZ block size in z
     * @param keepBackground whether label 0 is stored
     * @param maxMemoryBytes the memory budget B of the process (of each task, in the Spark job),
     *     bytes (see {@link MemoryBudget})
     * @throws IllegalArgumentException naming the value and the rule, if a block size breaks it
     */
    public record Spec(Path volume, Optional<String> format, Map<String, String> formatOptions,
            List<Attribute> attributes, int blockX, int blockY, int blockZ, boolean keepBackground,
            long maxMemoryBytes) {
        public Spec {
            Objects.requireNonNull(volume, "volume is null");
            Objects.requireNonNull(format, "format is null");
            formatOptions = Map.copyOf(formatOptions);
            attributes = List.copyOf(attributes);
            if (blockX < 1 || blockY < 1 || blockZ < 1) {
                throw new IllegalArgumentException("Cannot scan with block size (x, y, z) = (" + blockX + ", " + blockY
                        + ", " + blockZ + "): every size must be at least 1");
            }
            long values = (long) blockX * blockY * blockZ * (3 + attributes.size());
            if (values > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Cannot scan with block size (x, y, z) = (" + blockX + ", " + blockY
                        + ", " + blockZ + "): a block's points would exceed one Java array");
            }
        }

        /** @return the points' dimensions: x, y, z, then the attribute names */
        public PointSchema schema() {
            return Scanner.schema(attributes);
        }
    }

    /**
     * What to scan and how it is shared out: which share of the blocks this process takes, on
     * how many threads, under which worker ids.
     *
     * @param spec what to scan
     * @param threads worker threads in this process, at least 1
     * @param workerIndex this process's share, 0 to workerCount-1
     * @param workerCount how many shares the blocks are cut into
     * @param runName the first part of every worker id: 1 to 80 characters of
     *     {@code [A-Za-z0-9._-]}, starting with a letter or digit; {@code scan} for the CLI
     * @throws IllegalArgumentException naming the value and the rule, if a count or the run name
     *     breaks it
     */
    public record Settings(Spec spec, int threads, int workerIndex, int workerCount, String runName) {
        public Settings {
            Objects.requireNonNull(spec, "spec is null");
            Objects.requireNonNull(runName, "runName is null");
            if (!runName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}")) {
                throw new IllegalArgumentException("Cannot scan with run name '" + runName + "': it must be 1 to 80 "
                        + "characters of [A-Za-z0-9._-], starting with a letter or digit (it starts every worker id)");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("Cannot scan with " + threads + " workers: at least 1 is needed");
            }
            if (workerCount < 1 || workerIndex < 0 || workerIndex >= workerCount) {
                throw new IllegalArgumentException("Cannot scan as worker " + workerIndex + " of " + workerCount
                        + ": the index must be 0 to count-1 and the count at least 1");
            }
        }

        /**
         * @param thread a thread of this process, 0 to {@code threads - 1}
         * @return the worker id that thread writes and commits under
         */
        public String workerId(int thread) {
            return runName + "-" + workerIndex + "-of-" + workerCount + "-t" + thread;
        }
    }

    /**
     * @param attributes the attribute volumes, in dimension order
     * @return the points' dimensions: x, y, z, then the attribute names
     */
    public static PointSchema schema(List<Attribute> attributes) {
        List<String> names = new ArrayList<>(List.of("x", "y", "z"));
        attributes.forEach(a -> names.add(a.name()));
        return new PointSchema(names);
    }

    /**
     * The store settings a scan writes with: {@code dimensions} set to {@link #schema(List)}. A
     * schema the settings already declare must be that one.
     *
     * @param config the store's settings
     * @param attributes the attribute volumes, in dimension order
     * @return the settings with the scan's schema declared
     * @throws IllegalArgumentException if {@code config} declares other dimensions (both named)
     */
    public static StorageConfig withScanSchema(StorageConfig config, List<Attribute> attributes) {
        PointSchema schema = schema(attributes);
        Optional<PointSchema> declared = config.declaredSchema();
        if (declared.isPresent() && !declared.get().equals(schema)) {
            throw new IllegalArgumentException("Cannot scan into store " + config.storageType() + ":"
                    + config.location() + ": it declares dimensions " + declared.get() + " but the scan writes "
                    + schema + " (x, y, z, then the attribute names)");
        }
        return config.toBuilder().schema(schema).build();
    }

    /**
     * What one scan did.
     *
     * @param shape the volume's shape
     * @param blocks blocks this process scanned
     * @param points points written
     * @param writes point clouds written (one per label per block, more when a block spans slabs)
     * @param elapsed time from opening to the last commit
     * @param workerIds the worker ids that committed
     */
    public record Result(VolumeShape shape, long blocks, long points, long writes, Duration elapsed, List<String> workerIds) {
    }

    /** One slab to read: a z range of one block row and the y range of this worker's blocks. */
    private record SlabTask(long row, long z0, int depth, long y0, int rows, long firstBlock, long endBlock,
            boolean lastOfRow) {
    }

    /** A reusable slab buffer. */
    private static final class Slab {
        final long[] labels;
        final long[][] attributes;
        SlabTask task;

        Slab(int capacity, int attributeCount) {
            labels = new long[capacity];
            attributes = new long[attributeCount][capacity];
        }
    }

    private final Settings settings;
    private final Spec spec;
    private final VolumeSource volume;
    private final List<VolumeSource> attributeVolumes = new ArrayList<>();
    private final VolumeShape shape;
    private final long gridX;
    private final long gridY;
    private final long gridZ;
    private final long firstBlock;
    private final long endBlock;
    private final int slabDepth;
    private final long ingestorBytes;

    /**
     * Opens the volumes and plans the scan.
     *
     * @throws VolumeException if a volume cannot be opened or an attribute volume's shape differs
     * @throws IllegalArgumentException if the memory budget cannot hold one slice
     */
    public Scanner(Settings settings) {
        this.settings = settings;
        this.spec = settings.spec();
        this.volume = Volumes.open(spec.volume(), spec.format(), spec.formatOptions());
        try {
            this.shape = volume.shape();
            for (Attribute attribute : spec.attributes()) {
                VolumeSource source = Volumes.open(attribute.path(), Optional.empty(), Map.of());
                attributeVolumes.add(source);
                if (!source.shape().equals(shape)) {
                    throw new VolumeException("Cannot scan with attribute '" + attribute.name() + "' from "
                            + attribute.path() + ": its shape " + source.shape() + " differs from the shape "
                            + shape + " of " + spec.volume());
                }
            }
            gridX = ceilDiv(shape.x(), spec.blockX());
            gridY = ceilDiv(shape.y(), spec.blockY());
            gridZ = ceilDiv(shape.z(), spec.blockZ());
            long total = gridX * gridY * gridZ;
            firstBlock = total * settings.workerIndex() / settings.workerCount();
            endBlock = total * (settings.workerIndex() + 1) / settings.workerCount();
            long[] plan = planMemory();
            slabDepth = (int) plan[0];
            ingestorBytes = plan[1];
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the volume's shape */
    public VolumeShape shape() {
        return shape;
    }

    /** @return the label volume's format name, such as {@code raw} or {@code zarr} */
    public String format() {
        return volume.format();
    }

    /** @return the number of blocks this process scans */
    public long blocks() {
        return endBlock - firstBlock;
    }

    /** @return slices per slab read */
    public int slabDepth() {
        return slabDepth;
    }

    /** @return each thread's ingestor's memory budget, bytes */
    public long ingestorBytes() {
        return ingestorBytes;
    }

    /**
     * Scans this process's blocks into the store and commits every thread's ingestor.
     *
     * @param store the store to write to; its schema must be (x, y, z, attribute names)
     * @param blocksDone told how many blocks finished, as they finish (from worker threads); an
     *     exception it throws stops the scan like a failed block: nothing of this run is committed
     * @return what was written
     * @throws VolumeException if the volume cannot be read; nothing of this run is committed
     * @throws org.pocaduck.PocaDuckException if the store fails; nothing of this run is committed
     * @throws IllegalStateException if one of this run's worker ids already has an open ingestor
     *     (another attempt of the same share running); nothing of this run is committed
     */
    public Result run(Store store, LongConsumer blocksDone) {
        long start = System.nanoTime();
        int threads = settings.threads();
        List<Ingestor> ingestors = new ArrayList<>(threads);
        List<String> workerIds = new ArrayList<>(threads);
        ExecutorService reader = Executors.newSingleThreadExecutor(daemon("pocaduck-scan-reader"));
        ExecutorService attributeReader = Executors.newFixedThreadPool(Math.max(1, attributeVolumes.size()),
                daemon("pocaduck-scan-attribute-reader"));
        ExecutorService workers = Executors.newFixedThreadPool(threads, daemon("pocaduck-scan-worker"));
        boolean committed = false;
        try {
            for (int t = 0; t < threads; t++) {
                String id = settings.workerId(t);
                ingestors.add(store.ingestor(id, ingestorBytes));
                workerIds.add(id);
            }
            BlockGrouper[] groupers = new BlockGrouper[threads];
            long[][] counters = new long[threads][2];
            for (int t = 0; t < threads; t++) {
                groupers[t] = new BlockGrouper();
            }
            List<SlabTask> tasks = slabTasks();
            Slab[] buffers = new Slab[Math.min(2, tasks.size())];
            int capacity = slabDepth * (int) shape.y() * (int) shape.x();
            for (int b = 0; b < buffers.length; b++) {
                buffers[b] = new Slab(capacity, attributeVolumes.size());
            }
            Future<Slab> next = tasks.isEmpty() ? null : reader.submit(readTask(tasks.getFirst(), buffers[0], attributeReader));
            for (int k = 0; k < tasks.size(); k++) {
                Slab current = await(next);
                next = k + 1 < tasks.size() ? reader.submit(readTask(tasks.get(k + 1), buffers[(k + 1) % 2],
                        attributeReader)) : null;
                groupSlab(current, ingestors, groupers, counters, workers, blocksDone);
            }
            commitAll(ingestors, workers);
            committed = true;
            long points = 0;
            long writes = 0;
            for (long[] counter : counters) {
                points += counter[0];
                writes += counter[1];
            }
            return new Result(shape, blocks(), points, writes, Duration.ofNanos(System.nanoTime() - start),
                    List.copyOf(workerIds));
        } finally {
            if (!committed) {
                for (Ingestor ingestor : ingestors) {
                    ingestor.abort();
                }
            }
            reader.shutdownNow();
            attributeReader.shutdownNow();
            workers.shutdownNow();
        }
    }

    /**
     * Commits every thread's ingestor at once on the worker threads: a backend that
     * writes its files at commit (parquet-duckdb sorts and writes a worker's buffered points then)
     * would otherwise write one worker after another on this thread.
     */
    private static void commitAll(List<Ingestor> ingestors, ExecutorService workers) {
        List<Future<?>> commits = new ArrayList<>(ingestors.size());
        for (Ingestor ingestor : ingestors) {
            commits.add(workers.submit(ingestor::commit));
        }
        awaitAll(commits, null);
    }

    /**
     * Waits for every task, then throws the first failure (an earlier one if given) with the
     * others suppressed in it.
     */
    private static void awaitAll(List<Future<?>> futures, RuntimeException earlier) {
        RuntimeException failure = earlier;
        for (Future<?> future : futures) {
            try {
                await(future);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        volume.close();
        for (VolumeSource source : attributeVolumes) {
            source.close();
        }
    }

    private void groupSlab(Slab slab, List<Ingestor> ingestors, BlockGrouper[] groupers, long[][] counters,
            ExecutorService workers, LongConsumer blocksDone) {
        SlabTask task = slab.task;
        int blockCount = (int) (task.endBlock() - task.firstBlock());
        AtomicInteger nextBlock = new AtomicInteger();
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int t = 0; t < Math.min(ingestors.size(), blockCount); t++) {
            Ingestor ingestor = ingestors.get(t);
            BlockGrouper grouper = groupers[t];
            long[] counter = counters[t];
            jobs.add(() -> {
                int k;
                while ((k = nextBlock.getAndIncrement()) < blockCount) {
                    groupBlock(slab, task.firstBlock() + k, ingestor, grouper, counter);
                    if (task.lastOfRow()) {
                        blocksDone.accept(1);
                    }
                }
                return null;
            });
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Callable<Void> job : jobs) {
            futures.add(workers.submit(job));
        }
        awaitAll(futures, null);
    }

    private void groupBlock(Slab slab, long rowBlock, Ingestor ingestor, BlockGrouper grouper, long[] counter) {
        SlabTask task = slab.task;
        long bx = rowBlock % gridX;
        long by = rowBlock / gridX;
        String blockId = bx + "_" + by + "_" + task.row();
        long y = by * spec.blockY();
        long x = bx * spec.blockX();
        int height = (int) Math.min(spec.blockY(), shape.y() - y);
        int width = (int) Math.min(spec.blockX(), shape.x() - x);
        counter[0] += grouper.group(slab.labels, slab.attributes, task.rows(), (int) shape.x(), task.z0(), task.y0(),
                0, (int) (y - task.y0()), (int) x, task.depth(), height, width, spec.keepBackground(),
                (label, values, dimensions) -> {
                    ingestor.write(label, blockId, PointCloud.wrap(values, dimensions));
                    counter[1]++;
                });
    }

    /** Reads one slab of the label volume here and of each attribute volume on its own thread. */
    private Callable<Slab> readTask(SlabTask task, Slab slab, ExecutorService attributeReader) {
        return () -> {
            Box box = new Box(task.z0(), task.y0(), 0, task.depth(), task.rows(), shape.x());
            List<Future<?>> parts = new ArrayList<>();
            for (int a = 0; a < attributeVolumes.size(); a++) {
                VolumeSource source = attributeVolumes.get(a);
                long[] target = slab.attributes[a];
                parts.add(attributeReader.submit(() -> {
                    source.read(box, target);
                    return null;
                }));
            }
            RuntimeException failure = null;
            try {
                volume.read(box, slab.labels);
            } catch (RuntimeException e) {
                failure = e;
            }
            awaitAll(parts, failure);
            slab.task = task;
            return slab;
        };
    }

    /** The slabs to read, in increasing z; block numbers inside a task count from its row's start. */
    private List<SlabTask> slabTasks() {
        List<SlabTask> tasks = new ArrayList<>();
        if (firstBlock == endBlock) {
            return tasks;
        }
        long perRow = gridX * gridY;
        for (long row = firstBlock / perRow; row <= (endBlock - 1) / perRow; row++) {
            long first = Math.max(firstBlock, row * perRow) - row * perRow;
            long end = Math.min(endBlock, (row + 1) * perRow) - row * perRow;
            long y0 = first / gridX * spec.blockY();
            long yEnd = Math.min(shape.y(), ((end - 1) / gridX + 1) * spec.blockY());
            long rowZ = row * spec.blockZ();
            long rowEnd = Math.min(shape.z(), rowZ + spec.blockZ());
            for (long z = rowZ; z < rowEnd; z += slabDepth) {
                int depth = (int) Math.min(slabDepth, rowEnd - z);
                tasks.add(new SlabTask(row, z, depth, y0, (int) (yEnd - y0), first, end, z + depth == rowEnd));
            }
        }
        return tasks;
    }

    /** @return slab depth in slices, and each ingestor's budget in bytes */
    private long[] planMemory() {
        long slice = shape.y() * shape.x();
        if (slice > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot scan " + spec.volume() + ": one slice of " + shape.y()
                    + " x " + shape.x() + " voxels exceeds one Java array");
        }
        int attributes = attributeVolumes.size();
        int dimensions = 3 + attributes;
        int threads = settings.threads();
        long blockVoxels = (long) spec.blockX() * spec.blockY() * spec.blockZ();
        long scratch = threads * blockVoxels * (Integer.BYTES + (long) Long.BYTES * dimensions);
        long perSlice = 2L * Long.BYTES * (1 + attributes) * slice;
        long usable = MemoryBudget.usableBytes(spec.maxMemoryBytes());
        long depth = Math.min(Math.min(spec.blockZ(), shape.z()), (usable / 2 - scratch) / perSlice);
        depth = Math.min(depth, (Integer.MAX_VALUE - 8) / slice);
        long ingestor = depth < 1 ? 0 : (usable - depth * perSlice - scratch) / threads;
        if (depth < 1 || ingestor < MIN_INGESTOR_BYTES) {
            long needed = MemoryBudget.budgetFor(Math.max(2 * (perSlice + scratch),
                    perSlice + scratch + threads * MIN_INGESTOR_BYTES));
            throw new IllegalArgumentException("Cannot scan " + spec.volume() + " within --max-memory "
                    + MemoryBudget.format(spec.maxMemoryBytes()) + ": it needs at least "
                    + MemoryBudget.format(needed) + " (two slab buffers of one slice of " + shape.y() + " x "
                    + shape.x() + " voxels for " + (1 + attributes) + " volume(s), " + threads
                    + " worker(s)' block scratch and " + MemoryBudget.format(MIN_INGESTOR_BYTES)
                    + " of ingest buffer each, in the heap's usable part); raise --max-memory or use smaller "
                    + "blocks or fewer workers");
        }
        return new long[] {depth, ingestor};
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Cannot finish scan: interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Cannot finish scan: " + cause, cause);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
