package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;

/**
 * The shared state of one named memory store: committed worker outputs and the consolidated
 * snapshot that queries read. Thread-safe: mutations hold the monitor; the snapshot is
 * immutable and published through a volatile field.
 */
final class MemoryStoreState {
    private final String name;
    private PointSchema schema;
    /** Committed output by worker id, sorted so consolidation is deterministic. */
    private final Map<String, WorkerOutput> committed = new TreeMap<>();
    private final Set<String> activeWorkers = new HashSet<>();
    private volatile MemorySnapshot snapshot = MemorySnapshot.EMPTY;

    MemoryStoreState(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    synchronized PointSchema schema() {
        return schema;
    }

    synchronized PointSchema declareSchema(PointSchema declared) {
        if (schema == null) {
            schema = declared;
        } else if (!schema.equals(declared)) {
            throw new SchemaMismatchException("Cannot use point schema (" + declared + ") with store memory:" + name
                    + ": the store's point schema is (" + schema + ")");
        }
        return schema;
    }

    synchronized void startWorker(String workerId) {
        if (!activeWorkers.add(workerId)) {
            throw new IllegalStateException("Cannot start worker '" + workerId + "' on store memory:" + name
                    + ": it already has an open ingestor in this JVM");
        }
    }

    synchronized void endWorker(String workerId, WorkerOutput output) {
        activeWorkers.remove(workerId);
        if (output != null) {
            committed.put(workerId, output);
        }
    }

    synchronized Set<String> committedWorkers() {
        return Set.copyOf(committed.keySet());
    }

    MemorySnapshot snapshot() {
        return snapshot;
    }

    /** Rebuilds the snapshot from every committed output: the same inputs give the same result. */
    synchronized void consolidate() {
        Map<Long, List<WorkerOutput.Segment>> byLabel = new HashMap<>();
        for (WorkerOutput output : committed.values()) {
            output.segments().forEach((label, segments) ->
                    byLabel.computeIfAbsent(label, l -> new ArrayList<>()).addAll(segments));
        }
        snapshot = MemorySnapshot.of(schema, byLabel);
    }
}
