package org.pocaduck.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.QueryTiming;

/**
 * Cutting runs into chunks: chunk sizes bounded, runs cut where a chunk fills, blocks never mixed
 * when asked, empty runs skipped, every point handed out once and in order, runs asked for only
 * as chunks need them, and the stream's end, close and timing.
 */
class TestChunkCursor {
    /** A run: points 100 * id + i of label 9's block {@code block}, i < size; or of another label. */
    private record Run(int id, long label, String block, int size) {
        Run(int id, String block, int size) {
            this(id, 9, block, size);
        }

        PointCloud cloud() {
            long[] values = new long[size];
            for (int i = 0; i < size; i++) {
                values[i] = 100L * id + i;
            }
            return PointCloud.wrap(values, 1);
        }
    }

    private static final class Cursor extends ChunkCursor<Run> {
        private final Iterator<Run> runs;
        int asked;
        int reads;
        boolean released;

        /** The points of each read, in order. */
        final List<Integer> readSizes = new ArrayList<>();

        Cursor(List<Run> runs, int max, boolean oneBlock) {
            this(runs, max, oneBlock, false);
        }

        Cursor(List<Run> runs, int max, boolean oneBlock, boolean readTogether) {
            super(QueryTiming.start("test", "stream"), max, oneBlock, readTogether);
            this.runs = runs.iterator();
        }

        @Override
        protected Run nextRun() {
            asked++;
            return runs.hasNext() ? runs.next() : null;
        }

        @Override
        protected long label(Run run) {
            return run.label();
        }

        @Override
        protected String blockId(Run run) {
            return run.block();
        }

        @Override
        protected long pointCount(Run run) {
            return run.size();
        }

        @Override
        protected PointCloud read(List<Slice<Run>> slices, int points) {
            reads++;
            readSizes.add(points);
            PointCloud chunk = join(slices, Run::cloud, 1);
            assertThat(chunk.size()).isEqualTo(points);
            return chunk;
        }

        @Override
        protected void release() {
            released = true;
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return new IllegalStateException(e);
        }
    }

    private static final List<Run> RUNS = List.of(new Run(1, "a", 5), new Run(2, "a", 0), new Run(3, "a", 2),
            new Run(4, "b", 7), new Run(5, "c", 1));

    private static List<Long> values(PointCloud cloud) {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < cloud.size(); i++) {
            values.add(cloud.get(i, 0));
        }
        return values;
    }

    @Test
    void chunksAcrossBlocksFillUpToTheLimit() {
        Cursor cursor = new Cursor(RUNS, 4, false);
        List<List<Long>> chunks = new ArrayList<>();
        try (PointChunks points = ChunkCursor.pointChunks(cursor)) {
            while (points.hasNext()) {
                chunks.add(values(points.next()));
            }
            assertThat(points.timing().pointsReturned()).isEqualTo(15);
        }
        assertThat(chunks).containsExactly(List.of(100L, 101L, 102L, 103L), List.of(104L, 300L, 301L, 400L),
                List.of(401L, 402L, 403L, 404L), List.of(405L, 406L, 500L));
        assertThat(cursor.released).isTrue();
    }

    @Test
    void blockChunksNeverMixBlocks() {
        List<String> blocks = new ArrayList<>();
        List<List<Long>> chunks = new ArrayList<>();
        try (BlockChunks stream = ChunkCursor.blockChunks(new Cursor(RUNS, 4, true))) {
            while (stream.hasNext()) {
                BlockPoints chunk = stream.next();
                blocks.add(chunk.blockId());
                chunks.add(values(chunk.points()));
            }
            assertThatThrownBy(stream::next).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(blocks).containsExactly("a", "a", "b", "b", "c");
        assertThat(chunks).containsExactly(List.of(100L, 101L, 102L, 103L), List.of(104L, 300L, 301L),
                List.of(400L, 401L, 402L, 403L), List.of(404L, 405L, 406L), List.of(500L));
    }

    @Test
    void runsAreAskedForOnlyWhenAChunkNeedsThem() {
        Cursor cursor = new Cursor(RUNS, 5, false);
        try (PointChunks points = ChunkCursor.pointChunks(cursor)) {
            assertThat(values(points.next())).containsExactly(100L, 101L, 102L, 103L, 104L);
            assertThat(cursor.asked).as("the first run filled the chunk").isEqualTo(1);
            assertThat(cursor.reads).isEqualTo(1);
            points.close();
            assertThat(points.hasNext()).isFalse();
            points.close();
        }
        assertThat(cursor.released).isTrue();
    }

    @Test
    void aChunkOfOneSliceIsAViewAndNoRunsGiveNoChunks() {
        try (PointChunks none = ChunkCursor.pointChunks(new Cursor(List.of(new Run(1, "a", 0)), 3, false))) {
            assertThat(none.hasNext()).isFalse();
            assertThat(none.timing().pointsReturned()).isZero();
        }
        try (PointChunks one = ChunkCursor.pointChunks(new Cursor(List.of(new Run(7, "a", 3)), 1, false))) {
            List<Long> all = new ArrayList<>();
            while (one.hasNext()) {
                PointCloud chunk = one.next();
                assertThat(chunk.size()).isEqualTo(1);
                all.addAll(values(chunk));
            }
            assertThat(all).containsExactly(700L, 701L, 702L);
        }
    }

    @Test
    void labelChunksNeverMixLabelsEvenInOneBlockId() {
        List<Run> runs = List.of(new Run(1, 5, "a", 2), new Run(2, 5, "b", 3), new Run(3, -1L, "b", 2),
                new Run(4, -1L, "b", 4));
        List<String> chunks = new ArrayList<>();
        try (LabelChunks stream = ChunkCursor.labelChunks(new Cursor(runs, 4, true))) {
            while (stream.hasNext()) {
                LabelPoints chunk = stream.next();
                chunks.add(Long.toUnsignedString(chunk.label()) + "/" + chunk.blockId() + values(chunk.points()));
            }
        }
        assertThat(chunks).containsExactly("5/a[100, 101]", "5/b[200, 201, 202]",
                "18446744073709551615/b[300, 301, 400, 401]", "18446744073709551615/b[402, 403]");
    }

    /** Label 5's blocks a, b, c, then label 6's blocks a and b: 19 points. */
    private static final List<Run> LABEL_RUNS = List.of(new Run(1, 5, "a", 3), new Run(2, 5, "b", 2),
            new Run(3, 5, "b", 4), new Run(4, 5, "c", 1), new Run(5, 6, "a", 6), new Run(6, 6, "b", 3));

    private static List<String> labelChunks(Cursor cursor) {
        List<String> chunks = new ArrayList<>();
        try (LabelChunks stream = ChunkCursor.labelChunks(cursor)) {
            while (stream.hasNext()) {
                LabelPoints chunk = stream.next();
                chunks.add(chunk.label() + "/" + chunk.blockId() + values(chunk.points()));
            }
            assertThat(stream.timing().pointsReturned()).isEqualTo(19);
        }
        return chunks;
    }

    @Test
    void chunksReadTogetherAreTheChunksReadAloneInFewerReadsOfAtMostOneChunk() {
        Cursor alone = new Cursor(LABEL_RUNS, 5, true);
        Cursor together = new Cursor(LABEL_RUNS, 5, true, true);
        List<String> expected = labelChunks(alone);
        assertThat(expected).containsExactly("5/a[100, 101, 102]", "5/b[200, 201, 300, 301, 302]", "5/b[303]",
                "5/c[400]", "6/a[500, 501, 502, 503, 504]", "6/a[505]", "6/b[600, 601, 602]");
        assertThat(labelChunks(together)).isEqualTo(expected);
        assertThat(alone.readSizes).containsExactly(3, 5, 1, 1, 5, 1, 3);
        // 5/a (3) and 5/b (5) exceed one read of 5; 5/b[303] and 5/c fit in one, 6/a's first five then do not.
        assertThat(together.readSizes).containsExactly(3, 5, 2, 5, 4);
        assertThat(together.released).isTrue();
    }

    @Test
    void chunksReadTogetherAskForRunsOnlyAsTheReadFillsUp() {
        Cursor cursor = new Cursor(LABEL_RUNS, 10, true, true);
        try (LabelChunks stream = ChunkCursor.labelChunks(cursor)) {
            assertThat(values(stream.next().points())).containsExactly(100L, 101L, 102L);
            // 5/a, 5/b and 5/c (10 points) fill one read; 6/a's run was asked for to end 5/c.
            assertThat(cursor.reads).isEqualTo(1);
            assertThat(cursor.asked).isEqualTo(5);
            assertThat(values(stream.next().points())).containsExactly(200L, 201L, 300L, 301L, 302L, 303L);
            assertThat(values(stream.next().points())).containsExactly(400L);
            assertThat(cursor.reads).isEqualTo(1);
            assertThat(values(stream.next().points())).containsExactly(500L, 501L, 502L, 503L, 504L, 505L);
            assertThat(cursor.reads).isEqualTo(2);
        }
        assertThat(cursor.readSizes).containsExactly(10, 9);
    }

    @Test
    void aCursorThatMixesBlocksIsNoBlockStreamAndChunksHoldAPoint() {
        assertThatThrownBy(() -> ChunkCursor.blockChunks(new Cursor(RUNS, 4, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot stream blocks through a cursor whose chunks mix blocks");
        assertThatThrownBy(() -> ChunkCursor.labelChunks(new Cursor(RUNS, 4, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot stream labels through a cursor whose chunks mix blocks");
        assertThatThrownBy(() -> new Cursor(RUNS, 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot cut chunks of 0 points: at least 1");
    }
}
