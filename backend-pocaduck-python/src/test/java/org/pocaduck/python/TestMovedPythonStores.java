package org.pocaduck.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.testkit.PocaduckPoints;

/**
 * Copies of the shared stores as users move and prune them: the optimized store without its
 * worker directories (blocks unknown), a store without {@code unified_index.db}, a store missing
 * a data file.
 */
class TestMovedPythonStores {
    private static final long IN_W1_2 = 360287970189827614L;
    private static final long NOT_IN_W1_2 = 360287970189827102L;

    private static Map<Long, Map<String, PointCloud>> expected;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void loadExpected() {
        expected = PocaduckPoints.readCsv();
    }

    @Test
    void optimizedOnlyCopyReportsOneUnknownBlockPerLabel() {
        Path root = Fixtures.copy(TestSharedPythonStores.optimized(), tempDir.resolve("copy"),
                relative -> relative.startsWith("optimized/"));
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(store.committedWorkers()).isEmpty();
            StoreChecks.checkAll(query, expected, false);
            long label = expected.keySet().iterator().next();
            assertThat(query.blocks(label)).containsExactly(PythonStoreBackendFactory.UNKNOWN_BLOCK);
            assertThat(query.points(label, Set.of(PythonStoreBackendFactory.UNKNOWN_BLOCK, "1504")).sorted())
                    .isEqualTo(StoreChecks.concat(expected.get(label)).sorted());
        }
    }

    @Test
    void unifiedIndexWhoseFilesAreGoneLeavesBlocksUnknown() {
        // The unified index is there, but it names worker files the copy left out.
        Path root = Fixtures.copy(TestSharedPythonStores.optimized(), tempDir.resolve("copy"),
                relative -> relative.startsWith("optimized/") || relative.equals("unified_index.db"));
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            StoreChecks.checkAll(query, expected, false);
        }
    }

    @Test
    void workerIndexesServeWhenThereIsNoUnifiedIndex() {
        Path root = Fixtures.copy(TestSharedPythonStores.unoptimized(), tempDir.resolve("copy"),
                relative -> !relative.equals("unified_index.db"));
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(store.committedWorkers()).containsExactly("w0", "w1");
            StoreChecks.checkAll(query, expected, true);
        }
    }

    @Test
    void missingDataFileFailsOnlyTheReadsThatNeedIt() throws Exception {
        Path root = Fixtures.copy(TestSharedPythonStores.unoptimized(), tempDir.resolve("copy"), relative -> true);
        Path missing = root.resolve("worker_w1/data/w1-2.parquet");
        Files.delete(missing);
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(query.points(NOT_IN_W1_2).sorted())
                    .isEqualTo(StoreChecks.concat(expected.get(NOT_IN_W1_2)).sorted());
            // The index still answers without the file.
            assertThat(query.blocks(IN_W1_2)).containsExactlyElementsOf(expected.get(IN_W1_2).keySet());
            assertThatThrownBy(() -> query.points(IN_W1_2))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("is missing")
                    .hasMessageContaining("/tmp/legacy/unoptimized/worker_w1/data/w1-2.parquet")
                    .hasMessageContaining(root.resolve("unified_index.db").toString());
            assertThatThrownBy(() -> query.points(IN_W1_2, Set.of("2258")))
                    .isInstanceOf(StorageException.class).hasMessageContaining(missing.toString());
            // Blocks in other files are still readable.
            assertThat(query.points(IN_W1_2, Set.of("1108")).sorted())
                    .isEqualTo(expected.get(IN_W1_2).get("1108").sorted());
        }
    }

    @Test
    void optimizedFileMissingFailsNamingIt() throws Exception {
        Path root = Fixtures.copy(TestSharedPythonStores.optimized(), tempDir.resolve("copy"),
                relative -> !relative.endsWith(".parquet") || !relative.startsWith("optimized/"));
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThatThrownBy(() -> query.points(NOT_IN_W1_2))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(root.resolve("optimized/optimize_opt1").toString())
                    .hasMessageContaining("optimized_index.db");
            // Blocks are known from the worker files, which are all there.
            assertThat(query.points(NOT_IN_W1_2, Set.copyOf(expected.get(NOT_IN_W1_2).keySet())).sorted())
                    .isEqualTo(StoreChecks.concat(expected.get(NOT_IN_W1_2)).sorted());
            assertThat(query.blocks(NOT_IN_W1_2)).isEqualTo(List.copyOf(expected.get(NOT_IN_W1_2).keySet()));
        }
    }
}
