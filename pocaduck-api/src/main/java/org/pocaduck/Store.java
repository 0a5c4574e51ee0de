package org.pocaduck;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.pocaduck.spi.BackendStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open store: hands out one {@link Ingestor} per worker, consolidates their output, and opens
 * {@link Query} views. Obtained from {@link PocaDuck#open(StorageConfig)}.
 *
 * <p>Thread-safe: several worker threads may each hold their own ingestor of one store. The
 * store's point schema (D and dimension names) is declared in the config or fixed by the first
 * write; every later write must match it.
 *
 * <p>Closing: the caller closes the store, and every ingestor and query it opened. Closing the
 * store aborts ingestors still open (their output is not committed, and an earlier run of that
 * worker is kept) and closes queries still open. {@link #close()} is idempotent; any use after
 * it throws {@link IllegalStateException}.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final StorageConfig config;
    private final Set<Capability> capabilities;
    private final BackendStore backend;
    private final Set<String> openWorkers = new HashSet<>();
    private final Set<Ingestor> openIngestors = ConcurrentHashMap.newKeySet();
    private final Set<Query> openQueries = ConcurrentHashMap.newKeySet();
    private volatile PointSchema schema;
    private volatile boolean closed;

    Store(StorageConfig config, Set<Capability> capabilities, BackendStore backend) {
        this.config = config;
        this.capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        this.backend = backend;
        try {
            Optional<PointSchema> declared = config.declaredSchema();
            this.schema = declared.isPresent() ? backend.declareSchema(declared.get()) : backend.schema().orElse(null);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** @return the config this store was opened with */
    public StorageConfig config() {
        return config;
    }

    /** @return the storage type, such as {@code memory} */
    public String storageType() {
        return config.storageType();
    }

    /** @return the backend's optional abilities */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** @return true if the backend has the ability */
    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }

    /** @return the store's point schema, if declared or fixed by a write */
    public Optional<PointSchema> schema() {
        checkOpen("read the schema of");
        return Optional.ofNullable(schema);
    }

    /**
     * The smallest memory budget an ingestor or a consolidation takes: 1 MiB. Below it a backend
     * would write a file per handful of points.
     */
    public static final long MIN_MEMORY_BUDGET_BYTES = 1L << 20;

    /**
     * Starts one worker's output with the backend's own buffer sizes: {@link #ingestor(String,
     * long)} without a memory budget.
     *
     * @param workerId 1 to 128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or
     *     digit (it becomes part of file names)
     * @return the worker's ingestor; the caller closes it
     * @throws IllegalArgumentException if the worker id breaks that rule
     * @throws UnsupportedOperationException if the store is read-only (no {@link Capability#WRITE})
     * @throws WorkerBusyException if this worker id already has an open ingestor (here, or where the
     *     backend can see it: another {@code Store}, another process)
     * @throws IllegalStateException if the store is closed
     * @throws StorageException if the backend cannot start the worker's output
     */
    public Ingestor ingestor(String workerId) {
        return start(workerId, OptionalLong.empty());
    }

    /**
     * Starts one worker's output. {@link Ingestor#commit()} makes it durable, replacing whatever
     * this worker id committed before, so a crashed worker can be rerun and the result is as if it
     * ran once; closing the ingestor without committing discards the run.
     *
     * <p>Memory: the ingestor keeps what it holds in this JVM (its buffered points and the
     * backend's write path: sorting, encoding, compression, index building) within
     * {@code memoryBytes}. A persistent backend writes out (a new file, a batch of rows) whenever
     * its share is full; a backend that keeps every point in memory ({@code memory}) refuses a
     * write that would take its run past the budget, with an {@link IllegalStateException} naming
     * the budget. The points a caller passes to {@link Ingestor#write} and still holds are the
     * caller's.
     *
     * @param workerId 1 to 128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or
     *     digit (it becomes part of file names)
     * @param memoryBytes this ingestor's memory budget, bytes, at least
     *     {@link #MIN_MEMORY_BUDGET_BYTES}
     * @return the worker's ingestor; the caller closes it
     * @throws IllegalArgumentException if the worker id or the budget breaks its rule
     * @throws UnsupportedOperationException if the store is read-only (no {@link Capability#WRITE})
     * @throws WorkerBusyException if this worker id already has an open ingestor (here, or where the
     *     backend can see it: another {@code Store}, another process)
     * @throws IllegalStateException if the store is closed
     * @throws StorageException if the backend cannot start the worker's output
     */
    public Ingestor ingestor(String workerId, long memoryBytes) {
        requireBudget("start worker '" + workerId + "'", memoryBytes);
        return start(workerId, OptionalLong.of(memoryBytes));
    }

    private Ingestor start(String workerId, OptionalLong memoryBytes) {
        Objects.requireNonNull(workerId, "workerId is null");
        if (!WORKER_ID.matcher(workerId).matches()) {
            throw new IllegalArgumentException("Cannot start worker '" + workerId
                    + "': a worker id is 1 to 128 characters of [A-Za-z0-9._-], starting with a letter or digit");
        }
        requireWrite("start worker '" + workerId + "' on");
        synchronized (openWorkers) {
            checkOpen("start a worker on");
            if (!openWorkers.add(workerId)) {
                throw new WorkerBusyException("Cannot start worker '" + workerId
                        + "': it already has an open ingestor on this store");
            }
        }
        try {
            Ingestor ingestor = new Ingestor(this, workerId, backend.newIngestor(workerId, memoryBytes));
            openIngestors.add(ingestor);
            return ingestor;
        } catch (RuntimeException e) {
            synchronized (openWorkers) {
                openWorkers.remove(workerId);
            }
            throw e;
        }
    }

    private static void requireBudget(String action, long memoryBytes) {
        if (memoryBytes < MIN_MEMORY_BUDGET_BYTES) {
            throw new IllegalArgumentException("Cannot " + action + " with a memory budget of " + memoryBytes
                    + " bytes: at least " + MIN_MEMORY_BUDGET_BYTES + " (1MiB) is needed");
        }
    }

    /**
     * Lists the workers whose committed output the store holds, consolidated or not: what a
     * rerun of the same worker id would replace. A worker that committed an empty run is listed.
     * Migration uses it to skip the shares it has already committed.
     *
     * @return the worker ids, sorted by {@link String#compareTo}; empty for a store nobody wrote
     * @throws IllegalStateException if the store is closed
     * @throws StorageException if the store cannot be read
     */
    public SortedSet<String> committedWorkers() {
        checkOpen("list the workers of");
        return Collections.unmodifiableSortedSet(new TreeSet<>(backend.committedWorkers()));
    }

    /**
     * Opens a read-only view of the store as consolidated when this is called; a later
     * {@link #consolidate()} is seen by queries opened after it.
     *
     * @return the query; the caller closes it
     * @throws IllegalStateException if the store is closed
     * @throws StorageException if the index or data cannot be opened
     */
    public Query query() {
        checkOpen("query");
        Query query = new Query(this, backend.openQuery());
        openQueries.add(query);
        return query;
    }

    /**
     * Merges every committed worker's output so queries see it, with the backend's own memory
     * settings: {@link #consolidate(long)} without a budget.
     *
     * @throws IllegalStateException if the store is closed
     * @throws UnsupportedOperationException if the store is read-only (no {@link Capability#WRITE})
     * @throws SchemaMismatchException if workers wrote different point schemas
     * @throws StorageException if the merge fails; the previous consolidated state is kept
     */
    public void consolidate() {
        checkOpen("consolidate");
        requireWrite("consolidate");
        backend.consolidate(OptionalLong.empty());
    }

    /**
     * Merges every committed worker's output so queries see it. Running it twice gives the same
     * result as once; readers see the old or the new state, never a partial one. The merge keeps
     * what it holds in this process within {@code memoryBytes} (for an embedded database, its
     * memory limit, spilling to disk beyond it); work done inside a database server is the
     * server's.
     *
     * @param memoryBytes the consolidation's memory budget, bytes, at least
     *     {@link #MIN_MEMORY_BUDGET_BYTES}
     * @throws IllegalArgumentException if the budget is below the minimum
     * @throws IllegalStateException if the store is closed
     * @throws UnsupportedOperationException if the store is read-only (no {@link Capability#WRITE})
     * @throws SchemaMismatchException if workers wrote different point schemas
     * @throws StorageException if the merge fails; the previous consolidated state is kept
     */
    public void consolidate(long memoryBytes) {
        checkOpen("consolidate");
        requireWrite("consolidate");
        requireBudget("consolidate store " + describe(), memoryBytes);
        backend.consolidate(OptionalLong.of(memoryBytes));
    }

    /**
     * Rewrites the store for faster reads; every query result stays the same.
     *
     * @throws UnsupportedOperationException if the backend lacks {@link Capability#OPTIMIZE}
     * @throws IllegalStateException if the store is closed
     * @throws StorageException if the rewrite fails; the store is left as it was
     */
    public void optimize() {
        checkOpen("optimize");
        if (!supports(Capability.OPTIMIZE)) {
            throw new UnsupportedOperationException("Cannot optimize store " + describe() + ": storage type '"
                    + storageType() + "' does not support " + Capability.OPTIMIZE + " (its capabilities: "
                    + capabilities + ")");
        }
        backend.optimize();
    }

    /**
     * Aborts open ingestors, closes open queries and releases the backend. Idempotent.
     */
    @Override
    public void close() {
        synchronized (openWorkers) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Ingestor ingestor : openIngestors) {
            LOG.warn("Store {} closed while worker '{}' was open: its output is discarded", describe(),
                    ingestor.workerId());
            ingestor.abort();
        }
        for (Query query : openQueries) {
            query.close();
        }
        backend.close();
    }

    @Override
    public String toString() {
        return "Store[" + describe() + "]";
    }

    String describe() {
        return config.storageType() + ":" + config.location();
    }

    /** Returns the schema a cloud of D dimensions must match, fixing the default one if none. */
    PointSchema schemaFor(int dimensions) {
        PointSchema current = schema;
        if (current == null) {
            synchronized (this) {
                current = schema;
                if (current == null) {
                    current = backend.declareSchema(PointSchema.defaultFor(dimensions));
                    schema = current;
                }
            }
        }
        return current;
    }

    Optional<PointSchema> knownSchema() {
        return Optional.ofNullable(schema);
    }

    void ingestorClosed(Ingestor ingestor) {
        openIngestors.remove(ingestor);
        synchronized (openWorkers) {
            openWorkers.remove(ingestor.workerId());
        }
    }

    void queryClosed(Query query) {
        openQueries.remove(query);
    }

    private void requireWrite(String verb) {
        if (!supports(Capability.WRITE)) {
            throw new UnsupportedOperationException("Cannot " + verb + " store " + describe() + ": storage type '"
                    + storageType() + "' is read-only (it lacks " + Capability.WRITE + "; its capabilities: "
                    + capabilities + ")");
        }
    }

    void checkOpen(String verb) {
        if (closed) {
            throw new IllegalStateException("Cannot " + verb + " store " + describe() + ": the store is closed");
        }
    }
}
