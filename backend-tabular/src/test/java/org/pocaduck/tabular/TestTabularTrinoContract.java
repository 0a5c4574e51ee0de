package org.pocaduck.tabular;

import org.junit.jupiter.api.Test;
import org.pocaduck.StorageConfig;

/**
 * The tabular backend on a real Trino (in-process coordinator, memory connector, started once for
 * the class) passes the whole backend contract. The memory connector has neither transactions nor
 * DELETE, so this also covers reruns through commit markers alone.
 */
class TestTabularTrinoContract extends TrinoContractTest {
    @Override
    protected String catalog() {
        return "memory";
    }

    @Override
    protected StorageConfig.Builder withCatalogOptions(StorageConfig.Builder config, String table) {
        return config.option("max_statement_length", "8000000");
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
