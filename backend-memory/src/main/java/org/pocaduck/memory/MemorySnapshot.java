package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pocaduck.Labels;
import org.pocaduck.PointSchema;

/** The consolidated, immutable view queries read: labels in unsigned order, entries by label. */
final class MemorySnapshot {
    static final MemorySnapshot EMPTY = new MemorySnapshot(null, new long[0], Map.of(), 0, 0);

    /**
     * One label's data.
     *
     * @param segments in worker-id order, then write order
     * @param pointCount points over all segments
     * @param blocks distinct block ids, sorted
     */
    record Entry(List<WorkerOutput.Segment> segments, long pointCount, List<String> blocks) {
    }

    private final PointSchema schema;
    private final long[] labels;
    private final Map<Long, Entry> entries;
    private final long points;
    private final long labelBlockPairs;

    private MemorySnapshot(PointSchema schema, long[] labels, Map<Long, Entry> entries, long points,
            long labelBlockPairs) {
        this.schema = schema;
        this.labels = labels;
        this.entries = entries;
        this.points = points;
        this.labelBlockPairs = labelBlockPairs;
    }

    static MemorySnapshot of(PointSchema schema, Map<Long, List<WorkerOutput.Segment>> byLabel) {
        Map<Long, Entry> entries = new HashMap<>(byLabel.size() * 2);
        long points = 0;
        long pairs = 0;
        for (Map.Entry<Long, List<WorkerOutput.Segment>> e : byLabel.entrySet()) {
            long count = 0;
            Set<String> blocks = new HashSet<>();
            for (WorkerOutput.Segment segment : e.getValue()) {
                count += segment.size();
                blocks.add(segment.blockId());
            }
            List<String> sortedBlocks = List.copyOf(new TreeSet<>(blocks));
            entries.put(e.getKey(), new Entry(List.copyOf(new ArrayList<>(e.getValue())), count, sortedBlocks));
            points += count;
            pairs += sortedBlocks.size();
        }
        long[] labels = new long[entries.size()];
        int i = 0;
        for (Long label : entries.keySet()) {
            labels[i++] = label;
        }
        Labels.sortUnsigned(labels);
        return new MemorySnapshot(schema, labels, Map.copyOf(entries), points, pairs);
    }

    PointSchema schema() {
        return schema;
    }

    long[] labels() {
        return labels.clone();
    }

    int labelCount() {
        return labels.length;
    }

    /** @return the i-th label in unsigned order */
    long labelAt(int i) {
        return labels[i];
    }

    /**
     * @return the position of the first label at or above {@code label} in unsigned order
     *     (the label count if there is none)
     */
    int firstAtOrAbove(long label) {
        int lo = 0;
        int hi = labels.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(labels[mid], label) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    Entry entry(long label) {
        return entries.get(label);
    }

    long points() {
        return points;
    }

    long labelBlockPairs() {
        return labelBlockPairs;
    }
}
