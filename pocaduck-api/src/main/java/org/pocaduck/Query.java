package org.pocaduck;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.pocaduck.spi.BackendQuery;

/**
 * A read-only view of a store as consolidated when it was opened; from {@link Store#query()}.
 *
 * <p>Labels are uint64 carried in a {@code long} (see {@link Labels}); an unknown label gives an
 * empty result, never an error. Every operation has a timed form returning the result with a
 * {@link QueryTiming}; the untimed form returns the same result. Streams
 * ({@link #streamPoints}, {@link #streamBlocks}, {@link #streamLabels}, {@link #labelSummaries})
 * report their timing
 * themselves and hold bounded memory; the caller closes them, and a stream is used by one thread.
 *
 * <p>Thread-safe: many threads may query one instance. Close it when done (idempotent); any use
 * after close throws {@link IllegalStateException}. Every operation may throw
 * {@link StorageException} if stored data cannot be read.
 */
public final class Query implements AutoCloseable {
    private final Store store;
    private final BackendQuery backend;
    private volatile boolean closed;

    Query(Store store, BackendQuery backend) {
        this.store = store;
        this.backend = backend;
    }

    /** The most labels {@link #labels()} returns in one array (the largest Java array). */
    public static final int MAX_ARRAY_LABELS = Integer.MAX_VALUE - 8;

    /**
     * Every label in one array: a convenience for stores that fit one; walk larger stores with
     * {@link #labelSummaries()}.
     *
     * @return every label, each once, in unsigned order (0 first, 2^64-1 last)
     * @throws IllegalStateException if the store holds more than {@link #MAX_ARRAY_LABELS} labels
     *     (the message names {@code labelSummaries()})
     */
    public long[] labels() {
        return labelsTimed().result();
    }

    /**
     * Labels collected before {@link #labels()} asks the backend for the label count (one more
     * index query), so that a store too large for one array fails before filling the heap.
     */
    private static final int LABELS_BEFORE_COUNT = 1 << 24;

    /**
     * Timed form of {@link #labels()}: the label summaries, collected. Stores of more than
     * 2^24 labels are counted first.
     */
    public Timed<long[]> labelsTimed() {
        checkOpen("list labels");
        QueryTiming.Recorder timing = QueryTiming.start(store.storageType(), "labels");
        long[] labels = new long[1024];
        int n = 0;
        boolean counted = false;
        try (LabelSummaries summaries = backend.labelSummaries()) {
            while (summaries.hasNext()) {
                if (n == labels.length) {
                    long want = Math.min(MAX_ARRAY_LABELS, 2L * n);
                    if (!counted && want > LABELS_BEFORE_COUNT) {
                        counted = true;
                        long count = backend.labelCount();
                        if (count > MAX_ARRAY_LABELS) {
                            throw tooManyLabels(Long.toString(count));
                        }
                        want = Math.max(want, count);
                    }
                    if (n == MAX_ARRAY_LABELS) {
                        throw tooManyLabels("more than " + MAX_ARRAY_LABELS);
                    }
                    labels = Arrays.copyOf(labels, (int) Math.min(MAX_ARRAY_LABELS, want));
                }
                labels[n++] = summaries.next().label();
            }
            timing.add(summaries.timing());
        }
        return new Timed<>(n == labels.length ? labels : Arrays.copyOf(labels, n), timing.finish(0));
    }

    private IllegalStateException tooManyLabels(String count) {
        return new IllegalStateException("Cannot list the labels of store " + store.describe()
                + " in one array: it holds " + count + " labels, more than one Java array holds ("
                + MAX_ARRAY_LABELS + "); stream them with Query.labelSummaries()");
    }

    /**
     * Every label with its point count and block count, streamed in unsigned label order (0
     * first, 2^64-1 last), each label once, with bounded memory however many labels the store
     * holds. One pass over the index: far cheaper than {@link #pointCount} and {@link #blocks}
     * per label.
     *
     * @return the summaries; the caller closes them
     * @throws IllegalStateException if the query is closed
     * @throws StorageException if the index cannot be read
     */
    public LabelSummaries labelSummaries() {
        checkOpen("stream label summaries");
        return backend.labelSummaries();
    }

    /**
     * @return the number of distinct labels this query sees (may exceed what {@link #labels()}
     *     returns in one array)
     * @throws StorageException if the index cannot be read
     */
    public long labelCount() {
        checkOpen("count labels");
        return backend.labelCount();
    }

    /** @return the label's number of points over every block and worker; 0 if unknown */
    public long pointCount(long label) {
        return pointCountTimed(label).result();
    }

    /** Timed form of {@link #pointCount(long)}. */
    public Timed<Long> pointCountTimed(long label) {
        checkOpen("count points");
        return backend.pointCount(label);
    }

    /** @return the distinct ids of the blocks holding the label, sorted; empty if unknown */
    public List<String> blocks(long label) {
        return blocksTimed(label).result();
    }

    /** Timed form of {@link #blocks(long)}. */
    public Timed<List<String>> blocksTimed(long label) {
        checkOpen("list blocks");
        return backend.blocks(label);
    }

    /**
     * All points of a label, gathered over every block and worker, exactly as written (repeats
     * included) unless {@link ReadOption#DISTINCT} is given.
     *
     * @param label a uint64 label carried in a {@code long}
     * @param options read options
     * @return N x D values, row-major, in the store's schema order; for an unknown label, no
     *     points with the store's D (3 if the store holds no points). Point order is unspecified.
     * @throws IllegalArgumentException if the label has more values than one array holds (use
     *     {@link #streamPoints(long, int)})
     */
    public PointCloud points(long label, ReadOption... options) {
        return pointsTimed(label, options).result();
    }

    /** Timed form of {@link #points(long, ReadOption...)}. */
    public Timed<PointCloud> pointsTimed(long label, ReadOption... options) {
        Set<ReadOption> set = optionSet(options);
        checkOpen("read points");
        return applyOptions(backend.points(label, emptyDimensions()), set);
    }

    /**
     * The points of a label in some of its blocks only, exactly as written (repeats included)
     * unless {@link ReadOption#DISTINCT} is given. Backends read only the stored data of those
     * blocks (parquet-duckdb their row runs, tabular their rows), not the whole label.
     *
     * @param label a uint64 label carried in a {@code long}
     * @param blockIds the block ids to read, compared exactly as written; ids the label does not
     *     have are ignored, and an empty set gives no points
     * @param options read options
     * @return N x D values, row-major, in the store's schema order; no points with the store's D
     *     if none of the blocks holds the label. Point order is unspecified.
     * @throws NullPointerException if {@code blockIds} or one of its ids is null
     * @throws IllegalArgumentException if the points exceed one array (use
     *     {@link #streamBlocks(long, int)})
     */
    public PointCloud points(long label, Set<String> blockIds, ReadOption... options) {
        return pointsTimed(label, blockIds, options).result();
    }

    /** Timed form of {@link #points(long, Set, ReadOption...)}. */
    public Timed<PointCloud> pointsTimed(long label, Set<String> blockIds, ReadOption... options) {
        Objects.requireNonNull(blockIds, "blockIds is null");
        Set<String> blocks = Set.copyOf(blockIds);
        Set<ReadOption> set = optionSet(options);
        checkOpen("read points");
        if (blocks.isEmpty()) {
            return new Timed<>(PointCloud.empty(emptyDimensions()),
                    QueryTiming.start(store.storageType(), "points").finish(0));
        }
        return applyOptions(backend.points(label, blocks, emptyDimensions()), set);
    }

    /**
     * The points of a label that a filter keeps: some blocks, a box, a scale (see
     * {@link PointFilter} for the rules). At scale 0 the kept points come exactly as written
     * (repeats included), in unspecified order; above scale 0, x, y, z are
     * {@code floor(v / 2^scale)} and each distinct point comes once, sorted as by
     * {@link PointCloud#distinct()}. Memory: the result plus one chunk of the label (or, with
     * chosen blocks, the points of those blocks), never the whole label unless the filter keeps it.
     *
     * @param label a uint64 label carried in a {@code long}
     * @param filter which points to keep, and at what scale
     * @return N x D values, row-major, in the store's schema order; no points with the store's D if
     *     the filter keeps none or the label is unknown
     * @throws NullPointerException if {@code filter} is null
     * @throws IllegalArgumentException if the filter has a box or a scale above 0 and the store's
     *     points have fewer than 3 values (x, y, z), or the result exceeds one array
     * @throws StorageException if stored data cannot be read
     */
    public PointCloud points(long label, PointFilter filter) {
        return pointsTimed(label, filter).result();
    }

    /** Timed form of {@link #points(long, PointFilter)}: operation {@code points}. */
    public Timed<PointCloud> pointsTimed(long label, PointFilter filter) {
        Objects.requireNonNull(filter, "filter is null");
        checkOpen("read points");
        int dimensions = emptyDimensions();
        if (filter.needsCoordinates() && dimensions < 3) {
            throw new IllegalArgumentException("Cannot read points of label " + Labels.format(label) + " by " + filter
                    + " from store " + store.describe() + ": its points have D = " + dimensions
                    + " values, and a box or a scale applies to x, y, z, the first three");
        }
        if (filter.blocks().map(Set::isEmpty).orElse(false)) {
            return new Timed<>(PointCloud.empty(dimensions), QueryTiming.start(store.storageType(), "points").finish(0));
        }
        return backend.points(label, filter, dimensions);
    }

    private static Set<ReadOption> optionSet(ReadOption... options) {
        return options.length == 0 ? Set.of() : EnumSet.copyOf(List.of(options));
    }

    private static Timed<PointCloud> applyOptions(Timed<PointCloud> timed, Set<ReadOption> options) {
        if (!options.contains(ReadOption.DISTINCT)) {
            return timed;
        }
        long start = System.nanoTime();
        PointCloud distinct = timed.result().distinct();
        Duration extra = Duration.ofNanos(System.nanoTime() - start);
        return new Timed<>(distinct, timed.timing().withExtraDecode(extra, distinct.size()));
    }

    /**
     * A label's points in chunks of at most {@code maxChunkPoints} points, with memory bounded
     * by the chunk size: for labels too large for one array.
     *
     * @param label a uint64 label carried in a {@code long}
     * @param maxChunkPoints the most points in one chunk, at least 1
     * @return the chunks; the caller closes them. An unknown label gives no chunks.
     * @throws IllegalArgumentException if {@code maxChunkPoints < 1}
     */
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        if (maxChunkPoints < 1) {
            throw new IllegalArgumentException("Cannot stream points of label " + Labels.format(label)
                    + ": maxChunkPoints = " + maxChunkPoints + ", must be at least 1");
        }
        checkOpen("stream points");
        return backend.streamPoints(label, maxChunkPoints);
    }

    /**
     * A label's points block by block, in chunks of at most {@code maxChunkPoints} points, with
     * memory bounded by the chunk size however large the label: for copying a store block by
     * block, exporting a label per block, or reading a huge label.
     *
     * <p>Chunks come in block-id order ({@link String#compareTo}); a block of more than
     * {@code maxChunkPoints} points arrives as consecutive chunks of the same block id, and a
     * chunk never mixes blocks. Together the chunks hold every point exactly as written (repeats
     * included), each N x D, row-major, in the store's schema order.
     *
     * @param label a uint64 label carried in a {@code long}
     * @param maxChunkPoints the most points in one chunk, at least 1
     * @return the chunks; the caller closes them. An unknown label gives no chunks.
     * @throws IllegalArgumentException if {@code maxChunkPoints < 1}
     * @throws StorageException if the index cannot be read (reading a chunk may throw it too)
     */
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        if (maxChunkPoints < 1) {
            throw new IllegalArgumentException("Cannot stream blocks of label " + Labels.format(label)
                    + ": maxChunkPoints = " + maxChunkPoints + ", must be at least 1");
        }
        checkOpen("stream blocks");
        return backend.streamBlocks(label, maxChunkPoints);
    }

    /**
     * The points of many labels in one stream: the selected labels in unsigned order, each block
     * by block in block-id order ({@link String#compareTo}), in chunks of at most
     * {@code maxChunkPoints} points that never mix labels or blocks (see {@link LabelChunks}).
     * Backends read many labels per request (a range of a label-sorted file, one SQL statement
     * for a batch of labels), so this is how to copy, verify or export a store without one
     * request per label. Selected labels the store does not hold give no chunks.
     *
     * @param selection the labels: {@link LabelSelection#all()}, a range or a list
     * @param maxChunkPoints the most points in one chunk, at least 1
     * @return the chunks; the caller closes them
     * @throws NullPointerException if {@code selection} is null
     * @throws IllegalArgumentException if {@code maxChunkPoints < 1}
     * @throws StorageException if the index cannot be read (reading a chunk may throw it too)
     */
    public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
        Objects.requireNonNull(selection, "selection is null");
        if (maxChunkPoints < 1) {
            throw new IllegalArgumentException("Cannot stream labels " + selection + ": maxChunkPoints = "
                    + maxChunkPoints + ", must be at least 1");
        }
        checkOpen("stream labels");
        return backend.streamLabels(selection, maxChunkPoints);
    }

    /** @return the point schema of the data this query sees, if it holds any */
    public java.util.Optional<PointSchema> schema() {
        checkOpen("read the schema");
        return backend.schema().or(store::knownSchema);
    }

    /** @return totals of the data this query sees */
    public StoreStats stats() {
        checkOpen("read totals");
        return backend.stats();
    }

    /** Releases the view. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            backend.close();
        } finally {
            store.queryClosed(this);
        }
    }

    private int emptyDimensions() {
        return schema().map(PointSchema::dimensions).orElse(3);
    }

    private void checkOpen(String verb) {
        Objects.requireNonNull(verb);
        if (closed) {
            throw new IllegalStateException("Cannot " + verb + ": the query of store " + store.describe()
                    + " is closed");
        }
    }
}
