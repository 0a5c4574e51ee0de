package org.pocaduck.tabular;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.LabelSelection;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

/**
 * {@code streamLabels} on a real DuckDB tabular store cuts its windows by the labels' sizes:
 * labels side by side in one statement, a label over {@link TabularQuery#LABEL_WINDOW_BYTES} of
 * stored payload alone in windows of its blocks, rows of a superseded run dropped although the
 * size statement counts them, and labels in unsigned order across 2^63.
 */
class TestTabularLabelWindows {
    /** Uncompressed rows: 24 bytes per point, so this many points pass the window's byte bound. */
    private static final int LARGE_POINTS = (int) (TabularQuery.LABEL_WINDOW_BYTES / 24) + 30_000;
    private static final long LARGE = 7;
    private static final long HIGH = -2L; // 2^64 - 2

    @TempDir
    Path dir;

    private StorageConfig config;
    /** What each label holds, by block, in the order streamLabels must give them. */
    private final Map<Long, Map<String, PointCloud>> expected = new LinkedHashMap<>();

    @BeforeEach
    void write() {
        config = StorageConfig.builder("tabular").location(dir.resolve("t.duckdb").toString())
                .option("compression", "none").build();
        SplittableRandom random = new SplittableRandom(23);
        try (Store store = PocaDuck.open(config)) {
            // A run of worker w0 that a later run of w0 supersedes: its rows stay in the table.
            try (Ingestor stale = store.ingestor("w0")) {
                stale.write(5, "0_0_0", cloud(random, 50));
                stale.write(9, "0_0_0", cloud(random, 40));
                stale.commit();
            }
            try (Ingestor w0 = store.ingestor("w0"); Ingestor w1 = store.ingestor("w1")) {
                put(w0, 5, "0_0_0", cloud(random, 20));
                put(w1, 5, "1_0_0", cloud(random, 30));
                for (int b = 0; b < 3; b++) {
                    put(w0, LARGE, b + "_1_0", cloud(random, LARGE_POINTS / 3));
                }
                put(w1, 9, "0_0_1", cloud(random, 10));
                put(w1, Long.MAX_VALUE, "2_2_2", cloud(random, 5));
                put(w0, Long.MIN_VALUE, "2_2_2", cloud(random, 6));
                put(w1, HIGH, "3_3_3", cloud(random, 7));
                w0.commit();
                w1.commit();
            }
        }
    }

    private void put(Ingestor ingestor, long label, String block, PointCloud points) {
        ingestor.write(label, block, points);
        expected.computeIfAbsent(label, l -> new TreeMap<>()).put(block, points);
    }

    private static PointCloud cloud(SplittableRandom random, int points) {
        long[] values = new long[points * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong(1 << 20);
        }
        return PointCloud.wrap(values, 3);
    }

    @Test
    void everyLabelComesOnceInUnsignedOrderWithExactlyItsVisiblePoints() {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            Map<Long, Map<String, PointCloud>> all = read(query, LabelSelection.all(), 100_000);
            assertThat(all.keySet()).containsExactly(5L, LARGE, 9L, Long.MAX_VALUE, Long.MIN_VALUE, HIGH);
            for (Map.Entry<Long, Map<String, PointCloud>> e : expected.entrySet()) {
                assertThat(all.get(e.getKey())).as("label %s", Labels.format(e.getKey()))
                        .containsExactlyEntriesOf(e.getValue());
            }

            Map<Long, Map<String, PointCloud>> range = read(query, LabelSelection.range(6, Long.MIN_VALUE), 1 << 20);
            assertThat(range.keySet()).containsExactly(LARGE, 9L, Long.MAX_VALUE, Long.MIN_VALUE);
            Map<Long, Map<String, PointCloud>> listed = read(query, LabelSelection.of(new long[] {HIGH, 5, LARGE}), 999);
            assertThat(listed.keySet()).containsExactly(5L, LARGE, HIGH);
            assertThat(listed.get(5L)).containsExactlyEntriesOf(expected.get(5L));
        }
    }

    @Test
    void theLargeLabelIsReadAloneByWindowsOfItsBlocks() {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query();
                LabelChunks chunks = query.streamLabels(LabelSelection.all(), 100_000)) {
            long points = 0;
            while (chunks.hasNext()) {
                points += chunks.next().points().size();
            }
            assertThat(points).isEqualTo(expected.values().stream().flatMap(m -> m.values().stream())
                    .mapToLong(PointCloud::size).sum());
            List<String> sql = chunks.timing().sql();
            // The sizes, then: labels 5 (window 1), label 7 block by block, the rest (window 2).
            assertThat(sql.stream().filter(s -> s.contains("sum(p.payload_bytes)")).count()).isEqualTo(1);
            assertThat(sql.stream().filter(s -> s.contains("block_id IN")).count()).isGreaterThanOrEqualTo(1);
            assertThat(sql.stream().filter(s -> s.contains("label BETWEEN") || s.contains("label IN (")).count())
                    .isEqualTo(2);
        }
    }

    /** Joins each (label, block)'s chunks; fails if a label or block comes back twice apart. */
    private static Map<Long, Map<String, PointCloud>> read(Query query, LabelSelection selection, int chunk) {
        Map<Long, Map<String, List<PointCloud>>> parts = new LinkedHashMap<>();
        long previous = 0;
        boolean first = true;
        try (LabelChunks chunks = query.streamLabels(selection, chunk)) {
            while (chunks.hasNext()) {
                LabelPoints next = chunks.next();
                assertThat(next.points().size()).isLessThanOrEqualTo(chunk);
                if (!first && next.label() != previous) {
                    assertThat(Long.compareUnsigned(next.label(), previous)).as("unsigned order").isPositive();
                    assertThat(parts).doesNotContainKey(next.label());
                }
                first = false;
                previous = next.label();
                parts.computeIfAbsent(next.label(), l -> new LinkedHashMap<>())
                        .computeIfAbsent(next.blockId(), b -> new ArrayList<>()).add(next.points());
            }
        }
        Map<Long, Map<String, PointCloud>> joined = new LinkedHashMap<>();
        parts.forEach((label, blocks) -> {
            Map<String, PointCloud> byBlock = new TreeMap<>();
            blocks.forEach((block, list) -> byBlock.put(block, PointCloud.concat(3, list)));
            joined.put(label, byBlock);
        });
        return joined;
    }
}
