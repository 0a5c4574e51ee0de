package org.pocaduck.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.PocaduckPoints;
import org.pocaduck.testkit.SharedData;

/**
 * The two stores the original Python PoCADuck wrote ({@code shared/data/pocaduck_python_store})
 * migrated into parquet-duckdb: every label's points, per block, equal the real point clouds
 * they were written from (787 points, D = 4), and verify finds no difference.
 */
class TestMigratePythonStores {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unoptimized", "optimized"})
    void pythonStoreIntoParquetDuckdbKeepsEveryPointAndBlock(String which) {
        StorageConfig python = StorageConfig.builder("pocaduck-python")
                .location(SharedData.resolve("pocaduck_python_store/" + which)).build();
        StorageConfig parquet = StorageConfig.builder("parquet-duckdb").location(dir.resolve(which)).build();
        MigrationResult result = Migration.from(python).to(parquet).verify(true).run();
        assertThat(result.labels()).isEqualTo(6);
        assertThat(result.points()).isEqualTo(787);
        assertThat(result.blocks()).isEqualTo(49);
        assertThat(result.verification().orElseThrow().clean()).isTrue();

        Map<Long, Map<String, PointCloud>> expected = PocaduckPoints.load().clouds();
        try (Store store = PocaDuck.openExisting(parquet); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(expected.keySet().stream().mapToLong(Long::longValue).toArray());
            expected.forEach((label, blocks) -> {
                assertThat(query.blocks(label)).containsExactlyElementsOf(blocks.keySet());
                blocks.forEach((block, cloud) -> assertThat(query.points(label, java.util.Set.of(block)).sorted())
                        .as("label %s block %s", label, block).isEqualTo(cloud.sorted()));
            });
            assertThat(query.stats().points()).isEqualTo(787);
        }
        // The Python store is read-only: migrating into it is refused, naming the rule.
        assertThatThrownBy(() -> Migration.from(parquet).to(python).run())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("read-only");
    }
}
