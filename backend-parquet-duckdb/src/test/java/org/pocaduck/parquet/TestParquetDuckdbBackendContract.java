package org.pocaduck.parquet;

import java.nio.file.Path;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/** The parquet-duckdb backend passes the whole backend contract. */
class TestParquetDuckdbBackendContract extends BackendContractTest {
    @Override
    protected String storageType() {
        return ParquetDuckdbBackendFactory.STORAGE_TYPE;
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        return StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE).location(directory);
    }
}
