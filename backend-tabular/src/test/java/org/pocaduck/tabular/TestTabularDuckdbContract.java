package org.pocaduck.tabular;

import java.nio.file.Path;
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
}
