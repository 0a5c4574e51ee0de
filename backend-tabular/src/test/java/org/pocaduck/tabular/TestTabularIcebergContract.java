package org.pocaduck.tabular;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.pocaduck.StorageConfig;

/**
 * The tabular backend on a real Trino with a persistent catalog (Iceberg on a file metastore in a
 * temporary directory), bulk loading through Parquet: every worker stages its rows as Parquet
 * files and registers them with add_files at commit. The whole backend contract passes, DELETE
 * included (Iceberg has it).
 */
class TestTabularIcebergContract extends TrinoContractTest {
    @Override
    protected String catalog() {
        return "iceberg";
    }

    /** Each store stages its files in a directory of its own under the server's lake. */
    @Override
    protected StorageConfig.Builder withCatalogOptions(StorageConfig.Builder config, String table) {
        try {
            return config.option("staging_location", trino().stagingDirectory(table).toString())
                    .option("staging_server_location", trino().serverLocation(table));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
