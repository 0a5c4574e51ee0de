package org.pocaduck.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.QueryTiming;

/**
 * Cuts stored runs (a backend's unit of stored points: an in-memory segment, a run of Parquet
 * rows, a table row) of one or many labels into chunks of at most {@code maxChunkPoints} points:
 * the one mechanism behind every backend's {@link PointChunks}, {@link BlockChunks} and
 * {@link LabelChunks}.
 *
 * <p>Runs are asked for one at a time ({@link #nextRun()}), only when the chunk being cut needs
 * more points, so memory holds one chunk's points (or those of the chunks read together, no more)
 * plus what the backend holds for its current run and the next chunk's slices. A run
 * is cut where a chunk fills up and its rest starts the next chunk. A chunk always ends where the
 * label changes; with {@code oneBlock} it also ends where the block id changes (the backend then
 * supplies each label's runs sorted by block id), so a chunk never mixes blocks, as
 * {@link BlockChunks} and {@link LabelChunks} promise. A chunk is read with one call to
 * {@link #read}, which may read several runs' slices at once; a cursor built to read chunks together
 * reads consecutive chunks with one call while they fit in {@code maxChunkPoints}.
 *
 * <p>Not thread-safe: one consumer.
 *
 * @param <R> the backend's run type
 */
public abstract class ChunkCursor<R> extends StreamBase<LabelPoints> {
    /**
     * Points {@code [from, to)} of one run (0 is the run's first point).
     *
     * @param run the run
     * @param from the first point, inclusive
     * @param to the end, exclusive, greater than {@code from}
     * @param <R> the run type
     */
    public record Slice<R>(R run, long from, long to) {
        /** @return the points in the slice */
        public int size() {
            return (int) (to - from);
        }
    }

    private final int maxChunkPoints;
    private final boolean oneBlock;
    private final boolean readTogether;
    /** Chunks read together and not yet handed out, in order. */
    private final ArrayDeque<LabelPoints> ready = new ArrayDeque<>();
    /** A chunk cut but left for the next read, which it did not fit; null if none. */
    private Planned<R> pending;
    private R current;
    private long offset;
    private boolean exhausted;

    /**
     * A cursor that reads each chunk on its own.
     *
     * @param timing the operation's recorder
     * @param maxChunkPoints the most points in one chunk, at least 1
     * @param oneBlock true to end a chunk where the block id changes (runs come sorted by block id)
     * @throws IllegalArgumentException if {@code maxChunkPoints} is less than 1
     */
    protected ChunkCursor(QueryTiming.Recorder timing, int maxChunkPoints, boolean oneBlock) {
        this(timing, maxChunkPoints, oneBlock, false);
    }

    /**
     * @param timing the operation's recorder
     * @param maxChunkPoints the most points in one chunk, at least 1
     * @param oneBlock true to end a chunk where the block id changes (runs come sorted by block id)
     * @param readTogether true to read consecutive chunks with one call to {@link #read} while
     *     their total stays within {@code maxChunkPoints}, each chunk a view of the result: for
     *     a backend whose every read has a fixed cost (opening a file, decompressing a page that
     *     neighbouring runs share), many small chunks, such as the (label, block) chunks of
     *     {@link LabelChunks}, then cost one read instead of one each, in the memory of one chunk
     * @throws IllegalArgumentException if {@code maxChunkPoints} is less than 1
     */
    protected ChunkCursor(QueryTiming.Recorder timing, int maxChunkPoints, boolean oneBlock, boolean readTogether) {
        super(timing);
        if (maxChunkPoints < 1) {
            throw new IllegalArgumentException("Cannot cut chunks of " + maxChunkPoints + " points: at least 1");
        }
        this.maxChunkPoints = maxChunkPoints;
        this.oneBlock = oneBlock;
        this.readTogether = readTogether;
    }

    /**
     * @return the label's next run, or null after the last (not called again after that)
     * @throws Exception if stored data cannot be read
     */
    protected abstract R nextRun() throws Exception;

    /** @return the uint64 label whose points a run holds */
    protected abstract long label(R run);

    /** @return the block id of a run */
    protected abstract String blockId(R run);

    /** @return the points a run holds (runs of 0 points are skipped) */
    protected abstract long pointCount(R run);

    /**
     * Reads one chunk, or consecutive chunks read together (see {@code readTogether}).
     *
     * @param slices the slices of the chunk or chunks, in order, each of at least one point
     * @param points their total, at most {@code maxChunkPoints}
     * @return the points, N x D, row-major, the slices' points in the slices' order
     * @throws Exception if stored data cannot be read
     */
    protected abstract PointCloud read(List<Slice<R>> slices, int points) throws Exception;

    /** @return the next run holding points, or null at the end */
    private R advance() throws Exception {
        while (!exhausted) {
            R run = nextRun();
            if (run == null) {
                exhausted = true;
            } else if (pointCount(run) > 0) {
                return run;
            }
        }
        return null;
    }

    /** A chunk cut from the runs: its label, block id, slices and points. */
    private record Planned<R>(long label, String block, List<Slice<R>> slices, int points) {
    }

    @Override
    protected final LabelPoints produce() throws Exception {
        if (ready.isEmpty()) {
            List<Planned<R>> chunks = new ArrayList<>();
            long total = 0;
            while (true) {
                Planned<R> chunk = pending != null ? pending : plan();
                pending = null;
                if (chunk == null) {
                    break;
                }
                if (!chunks.isEmpty() && total + chunk.points() > maxChunkPoints) {
                    pending = chunk;
                    break;
                }
                chunks.add(chunk);
                total += chunk.points();
                if (!readTogether || total == maxChunkPoints) {
                    break;
                }
            }
            if (chunks.isEmpty()) {
                return null;
            }
            if (chunks.size() == 1) {
                Planned<R> only = chunks.getFirst();
                ready.add(new LabelPoints(only.label(), only.block(), read(only.slices(), only.points())));
            } else {
                List<Slice<R>> slices = new ArrayList<>();
                for (Planned<R> chunk : chunks) {
                    slices.addAll(chunk.slices());
                }
                PointCloud read = read(slices, (int) total);
                int at = 0;
                for (Planned<R> chunk : chunks) {
                    ready.add(new LabelPoints(chunk.label(), chunk.block(), read.slice(at, at + chunk.points())));
                    at += chunk.points();
                }
            }
        }
        return ready.poll();
    }

    /**
     * Cuts the next chunk, asking for runs as it needs them.
     *
     * @return the chunk, or null at the end of the runs
     */
    private Planned<R> plan() throws Exception {
        if (current == null || offset == pointCount(current)) {
            current = advance();
            offset = 0;
            if (current == null) {
                return null;
            }
        }
        long label = label(current);
        String block = blockId(current);
        List<Slice<R>> slices = new ArrayList<>();
        int taken = 0;
        while (taken < maxChunkPoints) {
            if (offset == pointCount(current)) {
                R next = advance();
                if (next == null) {
                    current = null;
                    break;
                }
                current = next;
                offset = 0;
                if (label(current) != label || oneBlock && !blockId(current).equals(block)) {
                    break;
                }
            }
            int n = (int) Math.min(maxChunkPoints - taken, pointCount(current) - offset);
            slices.add(new Slice<>(current, offset, offset + n));
            offset += n;
            taken += n;
        }
        return new Planned<>(label, block, slices, taken);
    }

    @Override
    protected final long pointsOf(LabelPoints chunk) {
        return chunk.points().size();
    }

    /**
     * Joins slices of in-memory clouds into one chunk: a view of the cloud when the chunk is one
     * slice (clouds are immutable, so nothing is copied), else a copy.
     *
     * @param slices the slices
     * @param cloud the cloud a run holds
     * @param dimensions D of every cloud
     * @return the chunk
     */
    protected static <R> PointCloud join(List<Slice<R>> slices, java.util.function.Function<R, PointCloud> cloud,
            int dimensions) {
        if (slices.size() == 1) {
            Slice<R> only = slices.getFirst();
            return cloud.apply(only.run()).slice((int) only.from(), (int) only.to());
        }
        List<PointCloud> parts = new ArrayList<>(slices.size());
        for (Slice<R> slice : slices) {
            parts.add(cloud.apply(slice.run()).slice((int) slice.from(), (int) slice.to()));
        }
        return PointCloud.concat(dimensions, parts);
    }

    /**
     * @param cursor a cursor cutting chunks across blocks ({@code oneBlock} false)
     * @return the cursor's chunks as a {@link PointChunks}; closing it closes the cursor
     */
    public static PointChunks pointChunks(ChunkCursor<?> cursor) {
        class Points extends View<PointCloud> implements PointChunks {
            Points() {
                super(cursor, LabelPoints::points);
            }
        }
        return new Points();
    }

    /**
     * @param cursor a cursor cutting chunks block by block ({@code oneBlock} true, runs sorted by
     *     block id)
     * @return the cursor's chunks as a {@link BlockChunks}; closing it closes the cursor
     */
    public static BlockChunks blockChunks(ChunkCursor<?> cursor) {
        requireOneBlock(cursor, "blocks");
        class Blocks extends View<BlockPoints> implements BlockChunks {
            Blocks() {
                super(cursor, chunk -> new BlockPoints(chunk.blockId(), chunk.points()));
            }
        }
        return new Blocks();
    }

    /**
     * @param cursor a cursor cutting chunks block by block ({@code oneBlock} true, each label's
     *     runs sorted by block id, labels in unsigned order)
     * @return the cursor's chunks as a {@link LabelChunks}; closing it closes the cursor
     */
    public static LabelChunks labelChunks(ChunkCursor<?> cursor) {
        requireOneBlock(cursor, "labels");
        class Labels extends View<LabelPoints> implements LabelChunks {
            Labels() {
                super(cursor, chunk -> chunk);
            }
        }
        return new Labels();
    }

    private static void requireOneBlock(ChunkCursor<?> cursor, String what) {
        Objects.requireNonNull(cursor, "cursor is null");
        if (!cursor.oneBlock) {
            throw new IllegalArgumentException("Cannot stream " + what + " through a cursor whose chunks mix blocks");
        }
    }

    /** A cursor seen as one of the API's stream types: its chunks mapped to the type's element. */
    private abstract static class View<T> {
        private final ChunkCursor<?> cursor;
        private final java.util.function.Function<LabelPoints, T> element;

        View(ChunkCursor<?> cursor, java.util.function.Function<LabelPoints, T> element) {
            this.cursor = Objects.requireNonNull(cursor, "cursor is null");
            this.element = element;
        }

        public boolean hasNext() {
            return cursor.hasNext();
        }

        public T next() {
            return element.apply(cursor.next());
        }

        public QueryTiming timing() {
            return cursor.timing();
        }

        public void close() {
            cursor.close();
        }
    }
}
