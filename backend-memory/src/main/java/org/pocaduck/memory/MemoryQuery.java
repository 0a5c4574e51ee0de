package org.pocaduck.memory;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
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
    public Timed<long[]> labels() {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "labels");
        long[] labels = snapshot.labels();
        timing.indexLookupDone().rows(labels.length).bytes((long) labels.length * Long.BYTES);
        return new Timed<>(labels, timing.finish(0));
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
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        MemorySnapshot.Entry entry = snapshot.entry(label);
        timing.indexLookupDone();
        return new Chunks(entry == null ? List.of() : entry.segments(), maxChunkPoints, timing);
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

    /** Copies up to maxChunkPoints points at a time out of the label's segments. */
    private static final class Chunks implements PointChunks {
        private final List<WorkerOutput.Segment> segments;
        private final int maxChunkPoints;
        private final QueryTiming.Recorder timing;
        private int segment;
        private int pointInSegment;
        private long returned;
        private boolean closed;

        Chunks(List<WorkerOutput.Segment> segments, int maxChunkPoints, QueryTiming.Recorder timing) {
            this.segments = segments;
            this.maxChunkPoints = maxChunkPoints;
            this.timing = timing;
        }

        @Override
        public boolean hasNext() {
            return !closed && segment < segments.size();
        }

        @Override
        public PointCloud next() {
            if (!hasNext()) {
                throw new NoSuchElementException("No more chunks");
            }
            timing.skip();
            int dims = segments.get(segment).dimensions();
            long remaining = 0;
            for (int s = segment; s < segments.size() && remaining < maxChunkPoints; s++) {
                remaining += segments.get(s).size() - (s == segment ? pointInSegment : 0);
            }
            int chunkPoints = (int) Math.min(maxChunkPoints, remaining);
            long[] values = new long[chunkPoints * dims];
            int filled = 0;
            while (filled < chunkPoints) {
                WorkerOutput.Segment current = segments.get(segment);
                int take = Math.min(chunkPoints - filled, current.size() - pointInSegment);
                current.points().slice(pointInSegment, pointInSegment + take).copyTo(values, filled * dims);
                filled += take;
                pointInSegment += take;
                if (pointInSegment == current.size()) {
                    segment++;
                    pointInSegment = 0;
                    timing.rows(1);
                }
            }
            returned += chunkPoints;
            timing.dataReadDone().bytes((long) values.length * Long.BYTES);
            return PointCloud.wrap(values, dims);
        }

        @Override
        public QueryTiming timing() {
            return timing.finish(returned);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
