package org.pocaduck.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.pocaduck.BlockChunks;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelSelection;
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
        return ChunkCursor.pointChunks(new SegmentCursor(runsOf(label, entry == null ? List.of() : entry.segments()),
                maxChunkPoints, false, timing));
    }

    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        return ChunkCursor.blockChunks(new SegmentCursor(byBlock(label, entry).iterator(), maxChunkPoints, true,
                timing));
    }

    /**
     * Walks the snapshot's sorted labels from the selection's first (a binary search), or the
     * listed labels, handing each label's segments in block order to one cursor. Nothing is
     * copied until a chunk joins several segments.
     */
    @Override
    public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamLabels");
        LongStream labels = switch (selection) {
            case LabelSelection.Listed list -> Arrays.stream(list.toArray());
            case LabelSelection.Range range -> IntStream.range(snapshot.firstAtOrAbove(range.first()),
                    snapshot.labelCount()).mapToLong(snapshot::labelAt).takeWhile(range::contains);
            case LabelSelection.All all -> IntStream.range(0, snapshot.labelCount()).mapToLong(snapshot::labelAt);
        };
        Iterator<LabelSegment> runs = labels.boxed().flatMap(label -> byBlock(label, snapshot.entry(label)).stream())
                .iterator();
        timing.indexLookupDone();
        return ChunkCursor.labelChunks(new SegmentCursor(runs, maxChunkPoints, true, timing));
    }

    /** One stored segment of a label: a run of {@link SegmentCursor}. */
    private record LabelSegment(long label, WorkerOutput.Segment segment) {
    }

    private static Iterator<LabelSegment> runsOf(long label, List<WorkerOutput.Segment> segments) {
        return segments.stream().map(segment -> new LabelSegment(label, segment)).iterator();
    }

    /** @return the label's segments sorted by block id (stable: a block's keep worker-id, then write order) */
    private static List<LabelSegment> byBlock(long label, MemorySnapshot.Entry entry) {
        if (entry == null) {
            return List.of();
        }
        List<LabelSegment> segments = new ArrayList<>(entry.segments().size());
        for (WorkerOutput.Segment segment : entry.segments()) {
            segments.add(new LabelSegment(label, segment));
        }
        segments.sort(Comparator.comparing(run -> run.segment().blockId()));
        return segments;
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
    private static final class SegmentCursor extends ChunkCursor<LabelSegment> {
        private final Iterator<LabelSegment> segments;

        SegmentCursor(Iterator<LabelSegment> segments, int maxChunkPoints, boolean oneBlock,
                QueryTiming.Recorder timing) {
            super(timing, maxChunkPoints, oneBlock);
            this.segments = segments;
        }

        @Override
        protected LabelSegment nextRun() {
            return segments.hasNext() ? segments.next() : null;
        }

        @Override
        protected long label(LabelSegment run) {
            return run.label();
        }

        @Override
        protected String blockId(LabelSegment run) {
            return run.segment().blockId();
        }

        @Override
        protected long pointCount(LabelSegment run) {
            return run.segment().size();
        }

        @Override
        protected PointCloud read(List<Slice<LabelSegment>> slices, int points) {
            for (Slice<LabelSegment> slice : slices) {
                if (slice.to() == slice.run().segment().size()) {
                    timing.rows(1);
                }
            }
            PointCloud chunk = join(slices, run -> run.segment().points(),
                    slices.getFirst().run().segment().dimensions());
            timing.dataReadDone().bytes((long) chunk.valueCount() * Long.BYTES);
            return chunk;
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return new IllegalStateException("Cannot read an in-memory segment: " + e.getMessage(), e);
        }
    }
}
