package org.pocaduck.tabular;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/**
 * The backend contract on an in-process Trino ({@link TrinoTestServer}, started once for the
 * class): every store is its own table in one schema of the server, on the catalog a subclass
 * names, with the options it adds.
 */
abstract class TrinoContractTest extends BackendContractTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** The server of the running class. */
    protected static TrinoTestServer trino;

    @BeforeAll
    static void startTrino(@TempDir Path lake) throws Exception {
        trino = TrinoTestServer.startIceberg(lake);
    }

    @AfterAll
    static void stopTrino() {
        if (trino != null) {
            trino.close();
        }
    }

    /** @return the catalog the stores' tables are in */
    protected abstract String catalog();

    /** @return the config with options the catalog needs for a table, added to the common ones */
    protected StorageConfig.Builder withCatalogOptions(StorageConfig.Builder config, String table) {
        return config;
    }

    @Override
    protected final String storageType() {
        return "tabular";
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        String table = "points_" + TABLES.incrementAndGet();
        return withCatalogOptions(StorageConfig.builder("tabular").location(trino.location())
                .option("catalog", catalog())
                .option("schema", "contract")
                .option("table", table)
                .option("user", "test"), table);
    }

    @Override
    protected Optional<String> requiredOptionKey() {
        return Optional.of("catalog");
    }
}
