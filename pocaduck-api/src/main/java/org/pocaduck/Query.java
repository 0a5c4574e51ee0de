package org.pocaduck;

import java.time.Duration;
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
 * {@link QueryTiming}; the untimed form returns the same result.
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

    /** @return every label, each once, in unsigned order (0 first, 2^64-1 last) */
    public long[] labels() {
        return labelsTimed().result();
    }

    /** Timed form of {@link #labels()}. */
    public Timed<long[]> labelsTimed() {
        checkOpen("list labels");
        return backend.labels();
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
        Set<ReadOption> set = options.length == 0 ? Set.of() : EnumSet.copyOf(List.of(options));
        checkOpen("read points");
        Timed<PointCloud> timed = backend.points(label, emptyDimensions());
        if (!set.contains(ReadOption.DISTINCT)) {
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
