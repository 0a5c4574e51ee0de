package org.pocaduck.spi;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.pocaduck.PointSchema;
import org.pocaduck.StoreStats;

/**
 * A backend's open store: the SPI side of {@link org.pocaduck.Store}.
 *
 * <p>Must be thread-safe. The API layer validates arguments, enforces use-after-close rules and
 * keeps one open ingestor per worker id per {@code Store}; a backend guards what the API cannot
 * see (other {@code Store} instances, other processes).
 */
public interface BackendStore extends AutoCloseable {
    /** @return the schema the store holds (declared or fixed by a committed write), if any */
    Optional<PointSchema> schema();

    /**
     * Fixes the store's point schema if it has none, or checks it against the one it has.
     *
     * @param schema the schema to fix
     * @return the store's schema afterwards
     * @throws org.pocaduck.SchemaMismatchException if the store has a different schema
     */
    PointSchema declareSchema(PointSchema schema);

    /**
     * Starts one worker's output. Called only if the factory declares
     * {@link org.pocaduck.Capability#WRITE}. When it commits, it replaces everything that worker id
     * committed before; until then, earlier output stays.
     *
     * @param workerId a valid worker id (see {@link org.pocaduck.Store#ingestor(String)})
     * @param memoryBytes the ingestor's memory budget (at least
     *     {@link org.pocaduck.Store#MIN_MEMORY_BUDGET_BYTES}), or empty for the backend's own
     *     buffer sizes; see {@link org.pocaduck.Store#ingestor(String, long)} for what it covers
     * @throws org.pocaduck.WorkerBusyException if the backend sees another open ingestor of this
     *     worker id
     */
    BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes);

    /**
     * @return the ids of the workers whose committed output the store holds now, consolidated or
     *     not (a worker that committed an empty run included); empty for a store nobody wrote
     * @throws org.pocaduck.StorageException if the store cannot be read
     */
    Set<String> committedWorkers();

    /**
     * Opens a read-only view of the store as consolidated now.
     *
     * @throws org.pocaduck.StorageException if the index or data cannot be opened
     */
    BackendQuery openQuery();

    /**
     * Merges every committed worker's output so queries opened afterwards see it. Called only if
     * the factory declares {@link org.pocaduck.Capability#WRITE}. Idempotent:
     * running it twice gives the same result as once. Readers see the old or the new state,
     * never a partial one.
     *
     * @param memoryBytes the merge's memory budget in this process (at least
     *     {@link org.pocaduck.Store#MIN_MEMORY_BUDGET_BYTES}), or empty for the backend's own
     *     settings
     */
    void consolidate(OptionalLong memoryBytes);

    /**
     * Rewrites the store for faster reads, keeping every result. Called only if the factory
     * declares {@link org.pocaduck.Capability#OPTIMIZE}.
     */
    default void optimize() {
        throw new UnsupportedOperationException("Cannot optimize: the backend declares no OPTIMIZE capability");
    }

    /** @return totals, or empty if a query would be needed to know them */
    default Optional<StoreStats> stats() {
        return Optional.empty();
    }

    /** Releases the store's resources. Idempotent; throws nothing checked. */
    @Override
    void close();
}
