package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.spi.BackendQuery;

/**
 * Reads one immutable snapshot. Thread-safe. Timing: the index lookup is the hash lookup, the
 * data read is copying values out; rows are segments (one per worker, label and block) and bytes
 * are 8 per value copied.
 */
final class MemoryQuery implements BackendQuery {
    private static final String BACKEND = MemoryBackendFactory.STORAGE_TYPE;

    private final MemorySnapshot snapshot;

    MemoryQuery(MemorySnapshot snapshot) {
        this.snapshot = snapshot;
    }

    static StoreStats stats(MemorySnapshot snapshot) {
        long dims = snapshot.schema() == null ? 0 : snapshot.schema().dimensions();
        return new StoreStats(snapshot.labelCount(), snapshot.points(), snapshot.labelBlockPairs(), 0,
                snapshot.points() * dims * Long.BYTES);
    }

    @Override
    public LabelSummaries labelSummaries() {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "labelSummaries");
        return new LabelSummaries() {
            private int next;
            private boolean closed;

            @Override
            public boolean hasNext() {
                return !closed && next < snapshot.labelCount();
            }

            @Override
            public LabelSummary next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("No more label summaries");
                }
                timing.skip();
                long label = snapshot.labelAt(next++);
                MemorySnapshot.Entry entry = snapshot.entry(label);
                timing.indexLookupDone().rows(1);
                return new LabelSummary(label, entry.pointCount(), entry.blocks().size());
            }

            @Override
            public QueryTiming timing() {
                return timing.finish(0);
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public long labelCount() {
        return snapshot.labelCount();
    }

    @Override
    public Timed<Long> pointCount(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        return new Timed<>(entry == null ? 0L : entry.pointCount(), timing.finish(0));
    }

    @Override
    public Timed<List<String>> blocks(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        return new Timed<>(entry == null ? List.of() : entry.blocks(), timing.finish(0));
    }

    @Override
    public Timed<PointCloud> points(long label, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        if (entry == null) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        int dims = entry.segments().getFirst().dimensions();
        long valueCount = entry.pointCount() * dims;
        if (valueCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read points of label " + Long.toUnsignedString(label)
                    + " into one array: it has " + entry.pointCount() + " points x " + dims
                    + " dimensions; use Query.streamPoints");
        }
        long[] values = new long[(int) valueCount];
        int at = 0;
        for (WorkerOutput.Segment segment : entry.segments()) {
            segment.points().copyTo(values, at);
            at += segment.points().valueCount();
        }
        timing.dataReadDone().rows(entry.segments().size()).bytes(valueCount * Long.BYTES);
        return new Timed<>(PointCloud.wrap(values, dims), timing.finish(entry.pointCount()));
    }

    @Override
    public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        List<PointCloud> parts = new ArrayList<>();
        if (entry != null) {
            for (WorkerOutput.Segment segment : entry.segments()) {
                if (blockIds.contains(segment.blockId())) {
                    parts.add(segment.points());
                }
            }
        }
        if (parts.isEmpty()) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        int dims = parts.getFirst().dimensions();
        long values = 0;
        for (PointCloud part : parts) {
            values += part.valueCount();
        }
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read points of label " + Long.toUnsignedString(label)
                    + " in " + blockIds.size() + " blocks into one array: they hold " + values / dims + " points x "
                    + dims + " dimensions; use Query.streamBlocks");
        }
        PointCloud points = PointCloud.concat(dims, parts);
        timing.dataReadDone().rows(parts.size()).bytes(values * Long.BYTES);
        return new Timed<>(points, timing.finish(points.size()));
    }

    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        return new Chunks(entry == null ? List.of() : entry.segments(), maxChunkPoints, timing);
    }

    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        List<WorkerOutput.Segment> segments = new ArrayList<>(entry == null ? List.of() : entry.segments());
        // Stable: a block's segments keep worker-id, then write order.
        segments.sort(Comparator.comparing(WorkerOutput.Segment::blockId));
        timing.indexLookupDone();
        return new BlockSlices(segments, maxChunkPoints, timing);
    }

    @Override
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(snapshot.schema());
    }

    @Override
    public StoreStats stats() {
        return stats(snapshot);
    }

    @Override
    public void close() {
        // Nothing to release: the snapshot is plain heap data.
    }

    /**
     * Walks a label's segments and hands out up to maxChunkPoints points at a time: a view of one
     * segment when the chunk lies inside it (the stored clouds are immutable, so no copy), else a
     * copy joining several; with {@code oneBlock} a chunk also ends where the block id changes.
     */
    private static class SegmentCursor {
        private final List<WorkerOutput.Segment> segments;
        private final int maxChunkPoints;
        private final QueryTiming.Recorder timing;
        private int segment;
        private int pointInSegment;
        private long returned;
        private boolean closed;

        SegmentCursor(List<WorkerOutput.Segment> segments, int maxChunkPoints, QueryTiming.Recorder timing) {
            this.segments = segments;
            this.maxChunkPoints = maxChunkPoints;
            this.timing = timing;
        }

        public boolean hasNext() {
            return !closed && segment < segments.size();
        }

        BlockPoints take(boolean oneBlock) {
            if (!hasNext()) {
                throw new NoSuchElementException("No more chunks");
            }
            timing.skip();
            String block = segments.get(segment).blockId();
            int dims = segments.get(segment).dimensions();
            List<PointCloud> parts = new ArrayList<>();
            int filled = 0;
            while (filled < maxChunkPoints && segment < segments.size()
                    && (!oneBlock || segments.get(segment).blockId().equals(block))) {
                WorkerOutput.Segment current = segments.get(segment);
                int take = Math.min(maxChunkPoints - filled, current.size() - pointInSegment);
                parts.add(current.points().slice(pointInSegment, pointInSegment + take));
                filled += take;
                pointInSegment += take;
                if (pointInSegment == current.size()) {
                    segment++;
                    pointInSegment = 0;
                    timing.rows(1);
                }
            }
            returned += filled;
            PointCloud chunk = parts.size() == 1 ? parts.getFirst() : PointCloud.concat(dims, parts);
            timing.dataReadDone().bytes((long) chunk.valueCount() * Long.BYTES);
            return new BlockPoints(block, chunk);
        }

        public QueryTiming timing() {
            return timing.finish(returned);
        }

        public void close() {
            closed = true;
        }
    }

    /** A label's points in chunks that may span segments and blocks. */
    private static final class Chunks extends SegmentCursor implements PointChunks {
        Chunks(List<WorkerOutput.Segment> segments, int maxChunkPoints, QueryTiming.Recorder timing) {
            super(segments, maxChunkPoints, timing);
        }

        @Override
        public PointCloud next() {
            return take(false).points();
        }
    }

    /** A label's points block by block (segments sorted by block id). */
    private static final class BlockSlices extends SegmentCursor implements BlockChunks {
        BlockSlices(List<WorkerOutput.Segment> segments, int maxChunkPoints, QueryTiming.Recorder timing) {
            super(segments, maxChunkPoints, timing);
        }

        @Override
        public BlockPoints next() {
            return take(true);
        }
    }
}
