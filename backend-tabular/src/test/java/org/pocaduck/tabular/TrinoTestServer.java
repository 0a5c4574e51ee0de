package org.pocaduck.tabular;

import static io.trino.testing.TestingSession.testSessionBuilder;

import io.trino.plugin.memory.MemoryPlugin;
import io.trino.testing.DistributedQueryRunner;
import java.net.URI;
import java.util.Map;

/**
 * An in-process Trino coordinator (no workers) with a memory catalog named {@code memory}, for
 * tests: a real Trino reached over HTTP by trino-jdbc, as the backend reaches any Trino. Shipped in
 * this module's test jar for other modules' tests.
 */
public final class TrinoTestServer implements AutoCloseable {
    private final DistributedQueryRunner runner;
    private final String location;

    private TrinoTestServer(DistributedQueryRunner runner, String location) {
        this.runner = runner;
        this.location = location;
    }

    /** Starts a coordinator; the caller closes it. */
    public static TrinoTestServer start() throws Exception {
        DistributedQueryRunner runner = DistributedQueryRunner.builder(
                        testSessionBuilder().setCatalog("memory").setSchema("default").build())
                .setWorkerCount(0)
                // Bulk inserts are long multi-row statements.
                .addCoordinatorProperty("query.max-length", "100000000")
                .build();
        try {
            runner.installPlugin(new MemoryPlugin());
            runner.createCatalog("memory", "memory", Map.of("memory.max-data-per-node", "3GB"));
            URI base = runner.getCoordinator().getBaseUrl();
            return new TrinoTestServer(runner, "trino://" + base.getHost() + ":" + base.getPort());
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** @return {@code trino://host:port} of the coordinator */
    public String location() {
        return location;
    }

    @Override
    public void close() {
        runner.close();
    }
}
