package org.pocaduck;

import java.util.Objects;
import org.pocaduck.spi.BackendIngestor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's writes into a store; from {@link Store#ingestor(String)}.
 *
 * <p>{@link #write} adds a point cloud to a label in a block; writing the same (label, block)
 * again appends. Nothing is visible to queries until the run is committed with {@link #commit()}
 * (which replaces what the same worker id committed before) and the store is consolidated.
 * Nothing commits by accident: {@link #close()} without {@link #commit()} discards the run, as
 * {@link #abort()} does, and keeps the worker's earlier output. That is the rule of
 * {@code java.sql.Connection} with auto-commit off, so the idiomatic form is safe when the body
 * throws half-way:
 *
 * <pre>{@code
 * try (Ingestor worker = store.ingestor("w3")) {
 *     for (...) worker.write(label, blockId, points);
 *     worker.commit();      // only reached when every write succeeded
 * }                         // an exception above discards this run; w3's earlier output stays
 * }</pre>
 *
 * <p>Not thread-safe: one thread per ingestor (give each thread its own worker id). Closing is
 * idempotent; a write after commit, close or abort throws {@link IllegalStateException}.
 */
public final class Ingestor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    private final Store store;
    private final String workerId;
    private final BackendIngestor backend;
    private long pointsWritten;
    private long writes;
    private boolean closed;
    private boolean committed;

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
     * @throws IllegalStateException if the ingestor is committed, closed or aborted
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
     * Commits the run: makes everything written durable and replaces what this worker id
     * committed before. Queries see it after {@link Store#consolidate()}. The ingestor is closed
     * afterwards; a second call does nothing.
     *
     * @throws IllegalStateException if the ingestor was closed or aborted without committing
     *     (its run is discarded and cannot be committed), or the store is closed
     * @throws StorageException if the output cannot be made durable; the ingestor is closed
     *     anyway, the run discarded, and the worker's earlier output kept
     */
    public void commit() {
        if (committed) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("Cannot commit worker '" + workerId
                    + "': its ingestor was closed or aborted without commit, and that run is discarded");
        }
        store.checkOpen("commit to");
        closed = true;
        try {
            backend.commit();
            committed = true;
        } finally {
            store.ingestorClosed(this);
        }
    }

    /**
     * Discards everything this ingestor wrote; the worker's earlier committed output is kept.
     * The ingestor is closed afterwards. Idempotent; does nothing after {@link #commit()} or
     * {@link #close()}.
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

    /** @return true once {@link #commit()} has succeeded */
    public boolean isCommitted() {
        return committed;
    }

    /**
     * Closes the ingestor. Without an earlier {@link #commit()} this discards the run, exactly
     * as {@link #abort()} does (logged as a warning if it wrote points), and the worker's
     * earlier output is kept. Idempotent; throws nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (pointsWritten > 0) {
            LOG.warn("Worker '{}' of store {} closed without commit: its run of {} points is discarded", workerId,
                    store.describe(), pointsWritten);
        }
        abort();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Cannot write with worker '" + workerId + "': its ingestor is "
                    + (committed ? "committed" : "closed"));
        }
        store.checkOpen("write to");
    }
}
