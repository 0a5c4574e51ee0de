package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.pocaduck.BlockChunks;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.support.ChunkCursor;
import org.pocaduck.support.OneArray;

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
        int valueCount = OneArray.valueCount(label, entry.pointCount(), dims);
        long[] values = new long[valueCount];
        int at = 0;
        for (WorkerOutput.Segment segment : entry.segments()) {
            segment.points().copyTo(values, at);
            at += segment.points().valueCount();
        }
        timing.dataReadDone().rows(entry.segments().size()).bytes((long) valueCount * Long.BYTES);
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
        long pointCount = 0;
        for (PointCloud part : parts) {
            pointCount += part.size();
        }
        long values = OneArray.valueCount(label, pointCount, dims);
        PointCloud points = PointCloud.concat(dims, parts);
        timing.dataReadDone().rows(parts.size()).bytes(values * Long.BYTES);
        return new Timed<>(points, timing.finish(points.size()));
    }

    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        return ChunkCursor.pointChunks(new SegmentCursor(entry == null ? List.of() : entry.segments(),
                maxChunkPoints, false, timing));
    }

    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        List<WorkerOutput.Segment> segments = new ArrayList<>(entry == null ? List.of() : entry.segments());
        // Stable: a block's segments keep worker-id, then write order.
        segments.sort(Comparator.comparing(WorkerOutput.Segment::blockId));
        timing.indexLookupDone();
        return ChunkCursor.blockChunks(new SegmentCursor(segments, maxChunkPoints, true, timing));
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
     * Cuts a label's segments into chunks: a view of one segment when the chunk lies inside it
     * (the stored clouds are immutable, so nothing is copied), else a copy joining several. Rows
     * are the segments finished, bytes 8 per value handed out.
     */
    private static final class SegmentCursor extends ChunkCursor<WorkerOutput.Segment> {
        private final java.util.Iterator<WorkerOutput.Segment> segments;

        SegmentCursor(List<WorkerOutput.Segment> segments, int maxChunkPoints, boolean oneBlock,
                QueryTiming.Recorder timing) {
            super(timing, maxChunkPoints, oneBlock);
            this.segments = segments.iterator();
        }

        @Override
        protected WorkerOutput.Segment nextRun() {
            return segments.hasNext() ? segments.next() : null;
        }

        @Override
        protected String blockId(WorkerOutput.Segment segment) {
            return segment.blockId();
        }

        @Override
        protected long pointCount(WorkerOutput.Segment segment) {
            return segment.size();
        }

        @Override
        protected PointCloud read(List<Slice<WorkerOutput.Segment>> slices, int points) {
            for (Slice<WorkerOutput.Segment> slice : slices) {
                if (slice.to() == slice.run().size()) {
                    timing.rows(1);
                }
            }
            PointCloud chunk = join(slices, WorkerOutput.Segment::points, slices.getFirst().run().dimensions());
            timing.dataReadDone().bytes((long) chunk.valueCount() * Long.BYTES);
            return chunk;
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return new IllegalStateException("Cannot read an in-memory segment: " + e.getMessage(), e);
        }
    }
}
