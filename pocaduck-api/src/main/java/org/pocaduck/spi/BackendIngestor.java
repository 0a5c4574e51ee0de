package org.pocaduck.spi;

import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;

/**
 * One worker's output in progress: the SPI side of {@link org.pocaduck.Ingestor}. Used by one
 * thread at a time. The API layer calls {@link #commit()} or {@link #abort()} exactly once.
 */
public interface BackendIngestor {
    /**
     * Adds points to a label in a block; writing the same (label, block) again appends.
     *
     * @param label a uint64 label carried in a {@code long}
     * @param blockId a non-blank block id
     * @param points a non-empty cloud whose D equals {@code schema}'s
     * @param schema the store's point schema (the same object on every call)
     * @throws org.pocaduck.StorageException if buffered data cannot be flushed
     */
    void write(long label, String blockId, PointCloud points, PointSchema schema);

    /**
     * Makes everything written durable and replaces the worker's earlier output with it
     * (atomically, as far as the storage allows). Visible to queries after consolidation.
     *
     * @throws org.pocaduck.StorageException if the output cannot be made durable; the worker's
     *     earlier output is then kept
     */
    void commit();

    /** Discards everything written; the worker's earlier output is kept. Throws nothing. */
    void abort();
}
