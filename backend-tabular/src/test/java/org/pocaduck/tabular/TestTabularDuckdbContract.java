package org.pocaduck.tabular;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/** The tabular backend on embedded DuckDB (the default dialect) passes the whole backend contract. */
class TestTabularDuckdbContract extends BackendContractTest {
    @Override
    protected String storageType() {
        return "tabular";
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        return StorageConfig.builder("tabular").location(directory.resolve("store.duckdb").toString());
    }

    /** The whole gt_bodies volume scanned in 64^3 blocks: every count as in label_stats.csv. */
    @Test
    void gtBodiesScanMatchesLabelStats() {
        GtBodies.scanAndCheck(newStoreConfig(tempDir.resolve("gt-bodies")).build(), Integer.MAX_VALUE);
    }
}
