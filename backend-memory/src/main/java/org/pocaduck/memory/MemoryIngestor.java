package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.spi.BackendIngestor;

/**
 * Buffers one worker's writes per (label, block) and hands them to the store on commit. With a
 * memory budget, a write that would take the run's points past half the budget is refused (commit
 * joins each (label, block)'s clouds: a second copy): a memory store cannot write anything out.
 */
final class MemoryIngestor implements BackendIngestor {
    private final MemoryStoreState state;
    private final String workerId;
    private final OptionalLong memoryBytes;
    private long heldBytes;
    /** Label, then block id in first-write order, then the (immutable) clouds written, joined at commit. */
    private final Map<Long, Map<String, List<PointCloud>>> buffers = new HashMap<>();

    MemoryIngestor(MemoryStoreState state, String workerId, OptionalLong memoryBytes) {
        this.state = state;
        this.workerId = workerId;
        this.memoryBytes = memoryBytes;
    }

    @Override
    public void write(long label, String blockId, PointCloud points, PointSchema schema) {
        long bytes = (long) points.valueCount() * Long.BYTES;
        if (memoryBytes.isPresent() && 2 * (heldBytes + bytes) > memoryBytes.getAsLong()) {
            throw new IllegalStateException("Cannot write " + points.size() + " points of label "
                    + Labels.format(label) + " to worker '" + workerId + "' of a memory store: its run would hold "
                    + (heldBytes + bytes) + " bytes of points, over half its memory budget of "
                    + memoryBytes.getAsLong() + " bytes (commit makes a second copy), and a memory store keeps "
                    + "every point in the heap; raise the budget (--max-memory) or use a persistent storage type "
                    + "such as parquet-duckdb");
        }
        heldBytes += bytes;
        buffers.computeIfAbsent(label, l -> new LinkedHashMap<>())
                .computeIfAbsent(blockId, b -> new ArrayList<>())
                .add(points);
    }

    @Override
    public void commit() {
        Map<Long, List<WorkerOutput.Segment>> segments = new HashMap<>(buffers.size() * 2);
        buffers.forEach((label, blocks) -> {
            List<WorkerOutput.Segment> list = new ArrayList<>(blocks.size());
            blocks.forEach((blockId, parts) -> list.add(new WorkerOutput.Segment(blockId,
                    PointCloud.concat(parts.getFirst().dimensions(), parts))));
            segments.put(label, List.copyOf(list));
        });
        buffers.clear();
        state.endWorker(workerId, new WorkerOutput(Map.copyOf(segments)));
    }

    @Override
    public void abort() {
        buffers.clear();
        state.endWorker(workerId, null);
    }
}
