package org.pocaduck.tabular;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;

/**
 * The backend contract on an in-process Trino ({@link TrinoTestServer}, one per subclass, started
 * before its tests): every store is its own table in one schema of the server, on the catalog a
 * subclass names, with the options it adds. A class's tests run concurrently, each on its own
 * table: most of their time is spent waiting on the server's planning and commits. The classes
 * share {@link TrinoTestServer#LOCK} for reading: side by side with each other, never with a
 * class that starts and stops servers of its own.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = TrinoTestServer.LOCK, mode = ResourceAccessMode.READ)
abstract class TrinoContractTest extends BackendContractTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** The server of each running subclass. */
    private static final Map<Class<?>, TrinoTestServer> SERVERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTrino(@TempDir Path lake, TestInfo test) throws Exception {
        SERVERS.put(test.getTestClass().orElseThrow(), TrinoTestServer.startIceberg(lake));
    }

    @AfterAll
    static void stopTrino(TestInfo test) {
        TrinoTestServer server = SERVERS.remove(test.getTestClass().orElseThrow());
        if (server != null) {
            server.close();
        }
    }

    /** @return the server of this test's class */
    protected final TrinoTestServer trino() {
        return SERVERS.get(getClass());
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
        return withCatalogOptions(StorageConfig.builder("tabular").location(trino().location())
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
