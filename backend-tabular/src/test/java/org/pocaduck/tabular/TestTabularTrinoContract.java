package org.pocaduck.tabular;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/**
 * The tabular backend on a real Trino (in-process coordinator, memory connector, started once for
 * the class) passes the whole backend contract. The memory connector has neither transactions nor
 * DELETE, so this also covers reruns through commit markers alone.
 */
class TestTabularTrinoContract extends BackendContractTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static TrinoTestServer trino;

    @BeforeAll
    static void startTrino() throws Exception {
        trino = TrinoTestServer.start();
    }

    @AfterAll
    static void stopTrino() {
        if (trino != null) {
            trino.close();
        }
    }

    @Override
    protected String storageType() {
        return "tabular";
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        // Every store is its own table in one schema of the shared server.
        return StorageConfig.builder("tabular").location(trino.location())
                .option("catalog", "memory")
                .option("schema", "contract")
                .option("table", "points_" + TABLES.incrementAndGet())
                .option("user", "test")
                .option("max_statement_length", "8000000");
    }

    @Override
    protected Optional<String> requiredOptionKey() {
        return Optional.of("catalog");
    }

    /**
     * The first 64 z-slices of gt_bodies (16 blocks of 64^3, 3.9 M points) through Trino: every
     * label's point and block count as the scan wrote them, and the largest body's points exactly.
     * The whole volume against label_stats.csv runs on DuckDB ({@link TestTabularDuckdbContract})
     * through the same code but the dialect; Trino's cost is per statement, not per point.
     */
    @Test
    void gtBodiesFirstBlockLayerRoundTrips() {
        GtBodies.scanAndCheck(newStoreConfig(tempDir.resolve("gt-bodies")).build(), 1);
    }
}
