package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.Arrays;
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
    /** Label, then block id in first-write order, then the values appended so far. */
    private final Map<Long, Map<String, Buffer>> buffers = new HashMap<>();

    MemoryIngestor(MemoryStoreState state, String workerId) {
        this.state = state;
        this.workerId = workerId;
    }

    @Override
    public void write(long label, String blockId, PointCloud points, PointSchema schema) {
        buffers.computeIfAbsent(label, l -> new LinkedHashMap<>())
                .computeIfAbsent(blockId, b -> new Buffer(points.dimensions()))
                .append(points);
    }

    @Override
    public void commit() {
        Map<Long, List<WorkerOutput.Segment>> segments = new HashMap<>(buffers.size() * 2);
        buffers.forEach((label, blocks) -> {
            List<WorkerOutput.Segment> list = new ArrayList<>(blocks.size());
            blocks.forEach((blockId, buffer) -> list.add(buffer.toSegment(blockId)));
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

    /** A growable row-major array of one (label, block). */
    private static final class Buffer {
        private final int dimensions;
        private long[] values = new long[0];
        private int length;

        Buffer(int dimensions) {
            this.dimensions = dimensions;
        }

        void append(PointCloud points) {
            int needed = Math.addExact(length, points.valueCount());
            if (needed > values.length) {
                values = Arrays.copyOf(values, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8L,
                        values.length * 2L)));
            }
            points.copyTo(values, length);
            length = needed;
        }

        WorkerOutput.Segment toSegment(String blockId) {
            return new WorkerOutput.Segment(blockId, length == values.length ? values : Arrays.copyOf(values, length),
                    dimensions);
        }
    }
}
