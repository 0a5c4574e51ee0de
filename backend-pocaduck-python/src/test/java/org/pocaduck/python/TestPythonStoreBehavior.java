package org.pocaduck.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.spi.BackendStore;

/** Labels from 2^63 up, failures, and the read-only rules, on small stores written in a temp dir. */
class TestPythonStoreBehavior {
    private static final long MAX = Labels.MAX_LABEL;
    private static final long HALF = Long.MIN_VALUE;

    @TempDir
    Path tempDir;

    /**
     * A moved store: worker w9 wrote labels 5, 2^63 and 2^64-1 (blocks "3" and "10", which sort
     * "10" first as strings), then the optimizer wrote label 2^64-1 into one file.
     */
    private Path largeLabelStore() throws Exception {
        Path root = tempDir.resolve("large");
        try (Fixtures fixtures = new Fixtures()) {
            fixtures.parquet(root.resolve("worker_w9/data/w9-0.parquet"), true,
                    "(-1, '3', [1, 2, 3, 4])", "(-1, '3', [1, 2, 3, 5])", "(-1, '10', [7, 7, 7, 7])",
                    "(-9223372036854775808, '3', [9, 9, 9, 9])", "(5, '3', [0, 0, 0, 1])");
            String file = "'/old/host/store/worker_w9/data/w9-0.parquet'";
            fixtures.blockIndex(root.resolve("unified_index.db"), "(18446744073709551615, '3', " + file + ", 2)",
                    "(18446744073709551615, '10', " + file + ", 1)", "(9223372036854775808, '3', " + file + ", 1)",
                    "(5, '3', " + file + ", 1)");
            fixtures.parquet(root.resolve("optimized/optimize_o/o.parquet"), false,
                    "(-1, [1, 2, 3, 4])", "(-1, [1, 2, 3, 5])", "(-1, [7, 7, 7, 7])");
            fixtures.optimizedIndex(root.resolve("optimized/optimized_index.db"),
                    "(-1, '/old/host/store/optimized/optimize_o/o.parquet', 3)");
        }
        return root;
    }

    private static Map<Long, Map<String, PointCloud>> largeLabelPoints() {
        Map<Long, Map<String, PointCloud>> expected = new TreeMap<>(Long::compareUnsigned);
        expected.put(5L, Map.of("3", PointCloud.ofRows(4, new long[] {0, 0, 0, 1})));
        expected.put(HALF, Map.of("3", PointCloud.ofRows(4, new long[] {9, 9, 9, 9})));
        Map<String, PointCloud> max = new LinkedHashMap<>();
        max.put("10", PointCloud.ofRows(4, new long[] {7, 7, 7, 7}));
        max.put("3", PointCloud.ofRows(4, new long[] {1, 2, 3, 4}, new long[] {1, 2, 3, 5}));
        expected.put(MAX, max);
        return expected;
    }

    @Test
    void labelsFromTwoToTheSixtyThreeUpMatchEveryIndexAndFile() throws Exception {
        Path root = largeLabelStore();
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(5L, HALF, MAX);
            StoreChecks.checkAll(query, largeLabelPoints(), true);
            // Points of 2^64-1 come from the optimized file, blocks from the worker's.
            assertThat(query.pointsTimed(MAX).timing().sql()).last().asString().contains("optimize_o/o.parquet");
        }
        // Without the worker's files, 2^64-1 is the one unknown block; the others cannot be read.
        Files.delete(root.resolve("worker_w9/data/w9-0.parquet"));
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(5L, HALF, MAX);
            assertThat(query.blocks(MAX)).containsExactly(PythonStoreBackendFactory.UNKNOWN_BLOCK);
            StoreChecks.checkBlocks(query, MAX, Map.of(PythonStoreBackendFactory.UNKNOWN_BLOCK,
                    StoreChecks.concat(largeLabelPoints().get(MAX))));
            assertThat(query.blocks(HALF)).containsExactly("3");
            assertThatThrownBy(() -> query.points(HALF)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("w9-0.parquet");
        }
    }

    @Test
    void pathThatCannotBeResolvedFailsNamingPathIndexAndRule() throws Exception {
        Path root = tempDir.resolve("store");
        try (Fixtures fixtures = new Fixtures()) {
            fixtures.blockIndex(root.resolve("worker_a/index_a.db"), "(1, '0_0_0', '/nowhere/at/all.parquet', 1)");
        }
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(store.schema()).isEmpty();
            assertThat(query.blocks(1)).containsExactly("0_0_0");
            assertThatThrownBy(() -> query.points(1))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("'/nowhere/at/all.parquet'")
                    .hasMessageContaining(root.resolve("worker_a/index_a.db").toString())
                    .hasMessageContaining("last three components");
        }
    }

    @Test
    void rowWithAnotherDimensionCountFailsClearly() throws Exception {
        Path root = tempDir.resolve("store");
        try (Fixtures fixtures = new Fixtures()) {
            fixtures.parquet(root.resolve("worker_a/data/a-0.parquet"), true,
                    "(7, 'b', [1, 2, 3, 4])", "(7, 'b', [1, 2, 3])");
            fixtures.blockIndex(root.resolve("worker_a/index_a.db"), "(7, 'b', '/x/worker_a/data/a-0.parquet', 2)");
        }
        try (Store store = StoreChecks.open(root); Query query = store.query()) {
            assertThat(store.schema()).contains(PointSchema.defaultFor(4));
            assertThatThrownBy(() -> query.points(7))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("label 7")
                    .hasMessageContaining("3 values in its data list")
                    .hasMessageContaining("D = 4");
            assertThatThrownBy(() -> StoreChecks.streamedPoints(query, 7, 1)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("D = 4");
        }
    }

    @Test
    void writingIsRefusedNamingTheRule() {
        try (Store store = StoreChecks.open(TestSharedPythonStores.unoptimized())) {
            assertThatThrownBy(() -> store.ingestor("w2")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("read-only").hasMessageContaining("WRITE");
            assertThatThrownBy(store::consolidate).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("read-only");
        }
        try (BackendStore backend = new PythonStoreBackendFactory().open(
                StoreChecks.config(TestSharedPythonStores.unoptimized()), false)) {
            assertThatThrownBy(() -> backend.newIngestor("w2", OptionalLong.empty())).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'pocaduck-python' storage type is read-only")
                    .hasMessageContaining("pocaduck migrate")
                    .hasMessageContaining(TestSharedPythonStores.unoptimized().toString());
            assertThatThrownBy(() -> backend.consolidate(OptionalLong.empty())).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("pocaduck migrate");
        }
    }

    @Test
    void noStoreAtTheLocationIsNotFoundEvenWhenCreating() throws Exception {
        Path missing = tempDir.resolve("missing");
        StorageConfig config = StoreChecks.config(missing);
        assertThatThrownBy(() -> PocaDuck.openExisting(config)).isInstanceOf(StoreNotFoundException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("unified_index.db");
        assertThatThrownBy(() -> PocaDuck.open(config)).isInstanceOf(StoreNotFoundException.class);
        assertThat(missing).doesNotExist();
        Path empty = Files.createDirectories(tempDir.resolve("empty"));
        assertThatThrownBy(() -> PocaDuck.open(StoreChecks.config(empty))).isInstanceOf(StoreNotFoundException.class)
                .hasMessageContaining("none of the index files")
                .hasMessageContaining("worker_<id>/index_<id>.db")
                .hasMessageContaining("optimized/optimized_index.db");
    }

    @Test
    void declaredSchemaMustBeTheStoresOwn() {
        StorageConfig.Builder builder = StoreChecks.config(TestSharedPythonStores.unoptimized()).toBuilder();
        try (Store store = PocaDuck.openExisting(builder.schema(PointSchema.defaultFor(4)).build())) {
            assertThat(store.schema()).contains(PointSchema.defaultFor(4));
        }
        StorageConfig named = builder.schema(PointSchema.parse("x,y,z,supervoxel_id")).build();
        assertThatThrownBy(() -> PocaDuck.openExisting(named)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("x,y,z,supervoxel_id").hasMessageContaining("x,y,z,attr_3");
    }

    @Test
    void storeIsFoundAsTheServiceLoaderSeesIt() {
        assertThat(PocaDuck.storageTypes()).contains(PythonStoreBackendFactory.STORAGE_TYPE);
        assertThat(Set.copyOf(new PythonStoreBackendFactory().options())).isEmpty();
    }
}
