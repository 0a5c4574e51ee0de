package org.pocaduck.spi;

import java.nio.LongBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.pocaduck.BlockChunks;
import org.pocaduck.Box;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.QueryTiming;
import org.pocaduck.Timed;

/**
 * Collects the points a {@link PointFilter} keeps from chunks of a label, one chunk at a time:
 * the box and the scale (the blocks are chosen by what the caller reads). What it holds is the
 * kept points only; above scale 0 it drops repeats whenever what it holds has doubled since the
 * last time, so it holds at most about twice the distinct result plus one chunk.
 *
 * <p>Also the default {@link BackendQuery#points(long, PointFilter, int)}: {@link #read}. For
 * backends; not thread-safe (one reader).
 */
public final class FilteredPoints {
    /** Points per chunk when {@link #read} streams a label. */
    public static final int CHUNK_POINTS = 1 << 16;
    /** Repeats are dropped once at least this many points are held, and again each time that doubles. */
    private static final int DISTINCT_AFTER_POINTS = 1 << 16;

    private final Box box;
    private final int scale;
    private final int dimensions;
    private long[] values = new long[0];
    private int points;
    private int distinctPoints;

    /**
     * @param filter the box and scale to apply
     * @param dimensions D of every chunk
     * @throws IllegalArgumentException if the filter needs x, y, z and {@code dimensions} is below 3
     */
    public FilteredPoints(PointFilter filter, int dimensions) {
        Objects.requireNonNull(filter, "filter is null");
        if (filter.needsCoordinates() && dimensions < 3) {
            throw new IllegalArgumentException("Cannot filter points by " + filter + ": the points have D = "
                    + dimensions + " values, and a box or a scale applies to x, y, z, the first three");
        }
        this.box = filter.box().orElse(null);
        this.scale = filter.scale();
        this.dimensions = dimensions;
    }

    /**
     * Keeps the chunk's points inside the box, at the scale.
     *
     * @param chunk N x D values, D as given to the constructor; not changed
     * @throws IllegalArgumentException if the chunk has another D, or the kept points exceed one cloud
     */
    public void add(PointCloud chunk) {
        if (chunk.dimensions() != dimensions) {
            throw new IllegalArgumentException("Cannot filter a chunk of D = " + chunk.dimensions()
                    + " values with the points of D = " + dimensions);
        }
        LongBuffer in = chunk.asReadOnlyBuffer();
        int n = chunk.size();
        ensureRoom(n);
        int at = points * dimensions;
        for (int p = 0, from = 0; p < n; p++, from += dimensions) {
            if (box != null && !box.contains(in.get(from), in.get(from + 1), in.get(from + 2))) {
                continue;
            }
            in.get(from, values, at, dimensions);
            if (scale > 0) {
                // An arithmetic shift is floor division by 2^scale, negative values included.
                values[at] >>= scale;
                values[at + 1] >>= scale;
                values[at + 2] >>= scale;
            }
            at += dimensions;
        }
        points = at / dimensions;
        if (scale > 0 && points >= DISTINCT_AFTER_POINTS && points >= 2L * distinctPoints) {
            dropRepeats();
        }
    }

    /** @return the points kept so far (before the last repeats are dropped, above scale 0) */
    public int size() {
        return points;
    }

    /**
     * @return the kept points: as stored at scale 0 (order as added), distinct and sorted above
     */
    public PointCloud result() {
        if (scale > 0) {
            dropRepeats();
        }
        return PointCloud.wrap(Arrays.copyOf(values, points * dimensions), dimensions);
    }

    private void dropRepeats() {
        PointCloud distinct = PointCloud.wrap(Arrays.copyOf(values, points * dimensions), dimensions).distinct();
        distinct.copyTo(values, 0);
        points = distinct.size();
        distinctPoints = points;
    }

    private void ensureRoom(int more) {
        long need = ((long) points + more) * dimensions;
        if (need <= values.length) {
            return;
        }
        if (need > PointCloud.MAX_VALUES) {
            throw new IllegalArgumentException("Cannot hold " + need + " filtered values in one point cloud: the "
                    + "limit is " + PointCloud.MAX_VALUES + " values; use a smaller box or a larger scale");
        }
        values = Arrays.copyOf(values, (int) Math.min(PointCloud.MAX_VALUES, Math.max(need, 2L * values.length)));
    }

    /**
     * The default read of a label through a filter, in bounded memory: with chosen blocks, reads
     * those blocks ({@link BackendQuery#points(long, java.util.Set, int)}, at most the label's
     * points) and filters them; otherwise streams the label block by block in chunks of
     * {@value #CHUNK_POINTS} points ({@link BackendQuery#streamBlocks}) and keeps what the
     * filter keeps, so it holds one chunk plus the result.
     *
     * @param backend the backend to read
     * @param label a uint64 label carried in a {@code long}
     * @param filter the filter; if it chooses blocks, the set is not empty
     * @param emptyDimensions D of the empty cloud returned when nothing is kept and nothing was read
     * @return the kept points, timed as operation {@code points} (filtering counts as decode)
     */
    public static Timed<PointCloud> read(BackendQuery backend, long label, PointFilter filter, int emptyDimensions) {
        if (filter.blocks().isPresent()) {
            Timed<PointCloud> read = backend.points(label, filter.blocks().get(), emptyDimensions);
            long start = System.nanoTime();
            PointCloud kept = filter.needsCoordinates() ? filter.apply(read.result()) : read.result();
            return new Timed<>(kept, read.timing().withExtraDecode(Duration.ofNanos(System.nanoTime() - start),
                    kept.size()));
        }
        FilteredPoints kept = null;
        long filterNanos = 0;
        QueryTiming streamed;
        try (BlockChunks chunks = backend.streamBlocks(label, CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                PointCloud chunk = chunks.next().points();
                long start = System.nanoTime();
                if (kept == null) {
                    kept = new FilteredPoints(filter, chunk.dimensions());
                }
                kept.add(chunk);
                filterNanos += System.nanoTime() - start;
            }
            streamed = chunks.timing();
        }
        long start = System.nanoTime();
        PointCloud result = kept == null ? PointCloud.empty(emptyDimensions) : kept.result();
        filterNanos += System.nanoTime() - start;
        Duration decode = streamed.decode().plus(Duration.ofNanos(filterNanos));
        Duration phases = streamed.indexLookup().plus(streamed.dataRead()).plus(decode);
        Duration total = streamed.total().plus(Duration.ofNanos(System.nanoTime() - start));
        return new Timed<>(result, new QueryTiming(streamed.backend(), "points", phases.compareTo(total) > 0 ? phases
                : total, streamed.indexLookup(), streamed.dataRead(), decode, streamed.filesTouched(),
                streamed.rowsRead(), streamed.bytesRead(), streamed.readRequests(), result.size(),
                streamed.cacheHit(), streamed.sql()));
    }
}
