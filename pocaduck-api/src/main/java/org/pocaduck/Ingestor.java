package org.pocaduck;

import java.util.Objects;
import org.pocaduck.spi.BackendIngestor;

/**
 * One worker's writes into a store; from {@link Store#ingestor(String)}.
 *
 * <p>{@link #write} adds a point cloud to a label in a block; writing the same (label, block)
 * again appends. Nothing is visible to queries until the ingestor is closed (which commits the
 * worker's output, replacing what the same worker id committed before) and the store is
 * consolidated. {@link #abort()} discards this run instead, keeping the earlier one.
 *
 * <p>Not thread-safe: one thread per ingestor (give each thread its own worker id). Closing is
 * idempotent; a write after close or abort throws {@link IllegalStateException}.
 */
public final class Ingestor implements AutoCloseable {
    private final Store store;
    private final String workerId;
    private final BackendIngestor backend;
    private long pointsWritten;
    private long writes;
    private boolean closed;

    Ingestor(Store store, String workerId, BackendIngestor backend) {
        this.store = store;
        this.workerId = workerId;
        this.backend = backend;
    }

    /** @return the worker id */
    public String workerId() {
        return workerId;
    }

    /** @return points written so far by this ingestor */
    public long pointsWritten() {
        return pointsWritten;
    }

    /** @return calls of {@link #write} so far that added points */
    public long writes() {
        return writes;
    }

    /**
     * Adds points to a label in a block. A cloud with no points stores nothing.
     *
     * @param label a uint64 label carried in a {@code long} (all 64 bits; see {@link Labels})
     * @param blockId the block's id, not blank, stored and returned unchanged (any Unicode text;
     *     the scanner uses the block's grid coordinates {@code x_y_z})
     * @param points N x D values, row-major; D must equal the store's D (the first write of a
     *     store without a declared schema fixes it)
     * @throws NullPointerException if {@code blockId} or {@code points} is null
     * @throws IllegalArgumentException if {@code blockId} is blank
     * @throws SchemaMismatchException if D differs from the store's D
     * @throws IllegalStateException if the ingestor is closed or aborted
     * @throws StorageException if the backend fails to buffer or flush; earlier committed data is
     *     kept, and the worker can be rerun
     */
    public void write(long label, String blockId, PointCloud points) {
        Objects.requireNonNull(blockId, "blockId is null");
        Objects.requireNonNull(points, "points is null");
        checkOpen();
        if (blockId.isBlank()) {
            throw new IllegalArgumentException("Cannot write label " + Labels.format(label) + " to block '"
                    + blockId + "': the block id is blank");
        }
        PointSchema schema = store.schemaFor(points.dimensions());
        if (schema.dimensions() != points.dimensions()) {
            throw new SchemaMismatchException("Cannot write label " + Labels.format(label) + " to block '"
                    + blockId + "': the points have D = " + points.dimensions()
                    + " dimensions but the store's point schema (" + schema + ") has D = " + schema.dimensions());
        }
        if (points.isEmpty()) {
            return;
        }
        backend.write(label, blockId, points, schema);
        pointsWritten += points.size();
        writes++;
    }

    /**
     * Adds points given as a row-major array of the store's D, without copying it. The store's D
     * must be known (declared, or fixed by an earlier write).
     *
     * @param values N x D values, row-major; the ingestor takes ownership and the caller must not
     *     change the array afterwards
     * @throws IllegalArgumentException if {@code values.length} is not a multiple of D, or the
     *     block id is blank
     * @throws IllegalStateException if the store's D is not known yet, or the ingestor is closed
     * @see #write(long, String, PointCloud)
     */
    public void write(long label, String blockId, long[] values) {
        Objects.requireNonNull(blockId, "blockId is null");
        Objects.requireNonNull(values, "values is null");
        checkOpen();
        PointSchema schema = store.knownSchema().orElseThrow(() -> new IllegalStateException(
                "Cannot write label " + Labels.format(label) + " to block '" + blockId
                        + "' as a bare array: the store has no point schema yet; declare 'dimensions' or pass a PointCloud"));
        if (values.length % schema.dimensions() != 0) {
            throw new IllegalArgumentException("Cannot write label " + Labels.format(label) + " to block '"
                    + blockId + "': " + values.length + " values is not a multiple of the store's D = "
                    + schema.dimensions() + " dimensions (" + schema + ")");
        }
        write(label, blockId, PointCloud.wrap(values, schema.dimensions()));
    }

    /**
     * Discards everything this ingestor wrote; the worker's earlier committed output is kept.
     * The ingestor is closed afterwards. Idempotent; does nothing after {@link #close()}.
     */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            backend.abort();
        } finally {
            store.ingestorClosed(this);
        }
    }

    /**
     * Commits: makes the worker's output durable, replacing what this worker id committed
     * before. Queries see it after {@link Store#consolidate()}. Idempotent.
     *
     * @throws StorageException if the output cannot be committed; the ingestor is closed anyway
     *     and the worker's earlier output is kept
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            backend.commit();
        } finally {
            store.ingestorClosed(this);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Cannot write with worker '" + workerId + "': its ingestor is closed");
        }
        store.checkOpen("write to");
    }
}
