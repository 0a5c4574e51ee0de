package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.spi.BackendIngestor;

/** Buffers one worker's writes per (label, block) and hands them to the store on commit. */
final class MemoryIngestor implements BackendIngestor {
    private final MemoryStoreState state;
    private final String workerId;
    /** Label, then block id in first-write order, then the (immutable) clouds written, joined at commit. */
    private final Map<Long, Map<String, List<PointCloud>>> buffers = new HashMap<>();

    MemoryIngestor(MemoryStoreState state, String workerId) {
        this.state = state;
        this.workerId = workerId;
    }

    @Override
    public void write(long label, String blockId, PointCloud points, PointSchema schema) {
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
