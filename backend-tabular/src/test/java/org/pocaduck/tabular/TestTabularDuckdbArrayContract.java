package org.pocaduck.tabular;

import java.nio.file.Path;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/** The SQL-native array encoding ({@code BIGINT[]}) on embedded DuckDB passes the whole contract. */
class TestTabularDuckdbArrayContract extends BackendContractTest {
    @Override
    protected String storageType() {
        return "tabular";
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        return StorageConfig.builder("tabular").location(directory.resolve("store.duckdb").toString())
                .option("encoding", "array");
    }
}
