package org.pocaduck.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.Store;
import org.pocaduck.testkit.PocaduckPoints;
import org.pocaduck.testkit.SharedData;

/**
 * The stores the original Python PoCADuck wrote from {@code shared/data/pocaduck_points}, read in
 * place: every label's points, counts and blocks must equal {@code points.csv}.
 */
class TestSharedPythonStores {
    private static Map<Long, Map<String, PointCloud>> expected;

    @BeforeAll
    static void loadExpected() {
        expected = PocaduckPoints.readCsv();
        assertThat(expected).hasSize(6);
        assertThat(expected.values().stream().mapToLong(Map::size).sum()).isEqualTo(49);
    }

    static Path unoptimized() {
        return SharedData.resolve("pocaduck_python_store/unoptimized");
    }

    static Path optimized() {
        return SharedData.resolve("pocaduck_python_store/optimized");
    }

    @Test
    void unoptimizedStoreMatchesThePoints() {
        try (Store store = StoreChecks.open(unoptimized()); Query query = store.query()) {
            assertThat(store.capabilities()).isEmpty();
            assertThat(store.schema()).contains(PointSchema.defaultFor(4));
            assertThat(store.committedWorkers()).containsExactly("w0", "w1");
            StoreChecks.checkAll(query, expected, true);
            // 54 index rows over 8 files; two of the 49 blocks are split over two files.
            assertThat(query.stats().files()).isEqualTo(1 + 8);
        }
    }

    @Test
    void optimizedStoreReadsPointsFromTheOptimizedFileAndBlocksFromTheWorkers() {
        try (Store store = StoreChecks.open(optimized()); Query query = store.query()) {
            assertThat(store.schema()).contains(PointSchema.defaultFor(4));
            StoreChecks.checkAll(query, expected, true);
            long label = expected.keySet().iterator().next();
            QueryTiming points = query.pointsTimed(label).timing();
            assertThat(points.sql()).last().asString().contains("optimized/optimize_opt1/").doesNotContain("worker_");
            assertThat(points.filesTouched()).isEqualTo(1);
            QueryTiming blocks;
            try (var chunks = query.streamBlocks(label, 1000)) {
                chunks.forEachRemaining(chunk -> { });
                blocks = chunks.timing();
            }
            assertThat(String.join("\n", blocks.sql())).contains("/worker_w0/data/").doesNotContain("optimize_opt1");
            // Index files: unified and optimized; data files: 8 unoptimized and 1 optimized.
            assertThat(query.stats().files()).isEqualTo(2 + 9);
        }
    }

    @Test
    void oneQueryServesManyThreads() throws Exception {
        // A second store open on the same files at the same time (indexes attached read-only twice).
        try (Store store = StoreChecks.open(optimized()); Query query = store.query();
                Store other = StoreChecks.open(optimized()); Query otherQuery = other.query()) {
            assertThat(otherQuery.labels()).hasSize(expected.size());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (Map.Entry<Long, Map<String, PointCloud>> label : expected.entrySet()) {
                        results.add(pool.submit(() -> query.points(label.getKey()).sorted()
                                .equals(StoreChecks.concat(label.getValue()).sorted())
                                && query.blocks(label.getKey()).equals(List.copyOf(label.getValue().keySet()))));
                    }
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void unknownLabelGivesEmptyResults() {
        try (Store store = StoreChecks.open(unoptimized()); Query query = store.query()) {
            assertThat(query.pointCount(42)).isZero();
            assertThat(query.blocks(42)).isEmpty();
            assertThat(query.points(42).isEmpty()).isTrue();
            assertThat(query.points(42).dimensions()).isEqualTo(4);
            try (var chunks = query.streamBlocks(42, 5)) {
                assertThat(chunks.hasNext()).isFalse();
            }
            try (var chunks = query.streamPoints(42, 5)) {
                assertThat(chunks.hasNext()).isFalse();
            }
        }
    }
}
