package org.pocaduck.serve;

import io.helidon.http.Status;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.pocaduck.BlockChunks;
import org.pocaduck.Box;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.Query;

/**
 * What a request reads of one label, in bounded memory however large the label:
 *
 * <ul>
 *   <li>every point at scale 0: streamed block by block ({@link Query#streamBlocks}), the count
 *       from the index, so one chunk is held;
 *   <li>a box or chosen blocks at scale 0: a label of at most {@link #HOLD_POINTS} points is read
 *       at once ({@link Query#points(long, PointFilter)}); a larger one is streamed (chosen blocks
 *       one block at a time, a box chunk by chunk), after a first counting pass where the format
 *       needs the count first, so one chunk or one block is held;
 *   <li>a scale above 0, or a {@code max} the points exceed: held, as
 *       {@link Query#points(long, PointFilter)} returns it, which holds about twice the distinct
 *       result plus one chunk. With {@code max}, the scale starts where an 8-fold drop per level
 *       (a solid body) would fit, and rises one level at a time (in memory, from the result held:
 *       floor(floor(v / 2^s) / 2) = floor(v / 2^(s+1))) until the points fit.
 * </ul>
 *
 * <p>Stateless; a {@link Read} is used by one request.
 */
final class LabelPoints {
    /** A filtered label of at most this many stored points is read at once. */
    static final int HOLD_POINTS = 1 << 20;
    /** Points per chunk of a stream. */
    static final int CHUNK_POINTS = 1 << 16;

    private LabelPoints() {
    }

    /** Receives chunks of points. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(PointCloud chunk) throws IOException;
    }

    /**
     * A label's points as a request will send them.
     *
     * @param count N, or -1 if not counted (streamed csv or raw of a filtered label)
     * @param scale the scale the points are at
     */
    record Read(long count, int scale, Source source) {
        void forEachChunk(ChunkSink sink) throws IOException {
            source.forEachChunk(sink);
        }
    }

    /** Where a read's chunks come from. */
    @FunctionalInterface
    interface Source {
        void forEachChunk(ChunkSink sink) throws IOException;
    }

    /**
     * Plans the read of a label that has points.
     *
     * @param stored the label's stored points (from the index), at least 1
     * @param max the most points to send, if capped
     * @param needCount true if the format states the count before the points
     * @throws HttpError 413 if even the largest scale leaves more than {@code max} points
     */
    static Read read(Query query, long label, long stored, PointFilter filter, OptionalLong max, boolean needCount) {
        if (filter.scale() == 0) {
            long count;
            if (filter.keepsEverything()) {
                count = stored;
                if (fits(count, max)) {
                    return new Read(count, 0, sink -> streamAll(query, label, filter, sink));
                }
            } else if (stored <= HOLD_POINTS) {
                PointCloud held = query.points(label, filter);
                if (fits(held.size(), max)) {
                    return held(new Scaled(held, 0));
                }
                count = held.size();
            } else {
                count = needCount || max.isPresent() ? count(query, label, filter) : -1;
                if (fits(count, max)) {
                    return new Read(count, 0, sink -> streamAll(query, label, filter, sink));
                }
            }
            return held(downsampled(query, label, filter, firstScale(count, max.getAsLong()), max, false));
        }
        return held(downsampled(query, label, filter, filter.scale(), max, false));
    }

    /**
     * A label's x, y, z for neuroglancer: distinct, sorted, at the smallest scale that keeps at
     * most {@code limit} points (so deterministic: an annotation's index names the same point
     * every time).
     */
    static Scaled annotations(Query query, long label, long stored, int limit) {
        int scale = stored <= limit ? 0 : firstScale(stored, limit);
        return downsampled(query, label, PointFilter.ALL, scale, OptionalLong.of(limit), true);
    }

    /**
     * Points held in memory, at a scale.
     *
     * @param points N x D values
     * @param scale their scale
     */
    record Scaled(PointCloud points, int scale) {
    }

    private static boolean fits(long count, OptionalLong max) {
        return max.isEmpty() || count <= max.getAsLong();
    }

    /** The scale at which a body of {@code count} points, dropping 8-fold a level, fits {@code max}. */
    private static int firstScale(long count, long max) {
        int scale = 1;
        while (scale < 21 && (count >> (3 * scale)) > max) {
            scale++;
        }
        return scale;
    }

    private static Scaled downsampled(Query query, long label, PointFilter filter, int scale, OptionalLong max,
            boolean xyzOnly) {
        PointCloud points = query.points(label, filter.withScale(scale));
        if (xyzOnly) {
            points = xyz(points);
        }
        PointFilter coarser = PointFilter.ALL.withScale(1);
        while (max.isPresent() && points.size() > max.getAsLong() && scale < PointFilter.MAX_SCALE) {
            points = coarser.apply(points);
            scale++;
        }
        if (max.isPresent() && points.size() > max.getAsLong()) {
            throw new HttpError(Status.REQUEST_ENTITY_TOO_LARGE_413, "Cannot send at most max=" + max.getAsLong()
                    + " points of label " + Labels.format(label) + ": even at scale " + scale + " it has "
                    + points.size() + " distinct points (its attributes keep them apart)");
        }
        return new Scaled(points, scale);
    }

    /** The distinct x, y, z of points, sorted. */
    static PointCloud xyz(PointCloud points) {
        if (points.dimensions() == 3) {
            return points.distinct();
        }
        long[] values = new long[points.size() * 3];
        for (int p = 0; p < points.size(); p++) {
            values[p * 3] = points.get(p, 0);
            values[p * 3 + 1] = points.get(p, 1);
            values[p * 3 + 2] = points.get(p, 2);
        }
        return PointCloud.wrap(values, 3).distinct();
    }

    private static Read held(Scaled scaled) {
        PointCloud points = scaled.points();
        return new Read(points.size(), scaled.scale(), sink -> {
            for (int from = 0; from < points.size(); from += CHUNK_POINTS) {
                sink.accept(points.slice(from, Math.min(points.size(), from + CHUNK_POINTS)));
            }
        });
    }

    /**
     * Streams the points a scale-0 filter keeps: every block ({@link Query#streamBlocks}), or the
     * chosen ones one block at a time, the box applied chunk by chunk.
     */
    static void streamAll(Query query, long label, PointFilter filter, ChunkSink sink) throws IOException {
        PointFilter boxOnly = new PointFilter(filter.box(), Optional.empty(), 0);
        if (filter.blocks().isPresent()) {
            Set<String> present = new TreeSet<>(query.blocks(label));
            present.retainAll(filter.blocks().get());
            for (String block : present) {
                PointCloud points = query.points(label, boxOnly.withBlocks(Set.of(block)));
                if (!points.isEmpty()) {
                    sink.accept(points);
                }
            }
            return;
        }
        try (BlockChunks chunks = query.streamBlocks(label, CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                PointCloud chunk = chunks.next().points();
                PointCloud kept = filter.box().isPresent() ? boxOnly.apply(chunk) : chunk;
                if (!kept.isEmpty()) {
                    sink.accept(kept);
                }
            }
        }
    }

    /** Counts what a scale-0 filter keeps, streaming (a first pass: nothing held). */
    static long count(Query query, long label, PointFilter filter) {
        long[] count = {0};
        try {
            streamAll(query, label, filter, chunk -> count[0] += chunk.size());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot count points: " + e.getMessage(), e);
        }
        return count[0];
    }

    /**
     * Tells whether any point passes a filter's blocks and box (DVID's HEAD): from the index
     * alone unless there is a box, else streaming until the first point inside it.
     */
    static boolean any(Query query, long label, PointFilter filter) {
        List<String> blocks = query.blocks(label);
        if (filter.blocks().isPresent() && blocks.stream().noneMatch(filter.blocks().get()::contains)) {
            return false;
        }
        if (filter.box().isEmpty()) {
            return !blocks.isEmpty();
        }
        PointFilter boxOnly = new PointFilter(filter.box(), filter.blocks(), 0);
        try (BlockChunks chunks = query.streamBlocks(label, CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                var chunk = chunks.next();
                if (boxOnly.blocks().map(b -> b.contains(chunk.blockId())).orElse(true)
                        && !boxOnly.apply(chunk.points()).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The exact bounding box of a label's x, y, z, streaming its points.
     *
     * @return empty if the label has no points
     */
    static Optional<Box> bounds(Query query, long label) {
        long[] min = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long[] max = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        boolean any = false;
        try (BlockChunks chunks = query.streamBlocks(label, CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                PointCloud chunk = chunks.next().points();
                if (chunk.dimensions() < 3) {
                    return Optional.empty();
                }
                for (int p = 0; p < chunk.size(); p++) {
                    for (int d = 0; d < 3; d++) {
                        long v = chunk.get(p, d);
                        min[d] = Math.min(min[d], v);
                        max[d] = Math.max(max[d], v);
                    }
                }
                any = true;
            }
        }
        return any ? Optional.of(new Box(min[0], min[1], min[2], max[0], max[1], max[2])) : Optional.empty();
    }

    /** The smallest box holding two boxes. */
    static Box union(Box a, Box b) {
        return new Box(Math.min(a.minX(), b.minX()), Math.min(a.minY(), b.minY()), Math.min(a.minZ(), b.minZ()),
                Math.max(a.maxX(), b.maxX()), Math.max(a.maxY(), b.maxY()), Math.max(a.maxZ(), b.maxZ()));
    }
}
