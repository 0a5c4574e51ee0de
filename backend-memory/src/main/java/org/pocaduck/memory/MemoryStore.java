package org.pocaduck.memory;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.pocaduck.PointSchema;
import org.pocaduck.StoreStats;
import org.pocaduck.spi.BackendIngestor;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.BackendStore;

/** One opened handle on a named memory store. Thread-safe. */
final class MemoryStore implements BackendStore {
    private final MemoryStoreState state;

    MemoryStore(MemoryStoreState state) {
        this.state = state;
    }

    @Override
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(state.schema());
    }

    @Override
    public PointSchema declareSchema(PointSchema schema) {
        return state.declareSchema(schema);
    }

    @Override
    public Set<String> committedWorkers() {
        return state.committedWorkers();
    }

    @Override
    public BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes) {
        state.startWorker(workerId);
        return new MemoryIngestor(state, workerId, memoryBytes);
    }

    @Override
    public BackendQuery openQuery() {
        return new MemoryQuery(state.snapshot());
    }

    /** Publishes the committed workers' output; it is in the heap already, so the budget changes nothing. */
    @Override
    public void consolidate(OptionalLong memoryBytes) {
        state.consolidate();
    }

    @Override
    public Optional<StoreStats> stats() {
        return Optional.of(MemoryQuery.stats(state.snapshot()));
    }

    @Override
    public void close() {
        // The data belongs to the JVM-wide named store, not to this handle.
    }
}
