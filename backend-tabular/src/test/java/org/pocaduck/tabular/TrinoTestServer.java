package org.pocaduck.tabular;

import static io.trino.testing.TestingSession.testSessionBuilder;

import io.trino.plugin.iceberg.IcebergPlugin;
import io.trino.plugin.memory.MemoryPlugin;
import io.trino.testing.DistributedQueryRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An in-process Trino coordinator (no workers) for tests: a real Trino reached over HTTP by
 * trino-jdbc, as the backend reaches any Trino. Its catalogs:
 *
 * <ul>
 *   <li>{@code memory}: the memory connector (no DELETE, nothing kept across a restart);</li>
 *   <li>with {@link #startIceberg}: {@code iceberg}, Iceberg on a file metastore in a local
 *       directory (the lake), kept across restarts, with {@code add_files} enabled (staged files
 *       go under the lake's {@code staging} directory, which the server names
 *       {@code local:///staging}); {@code iceberg_no_add_files}, the same lake without
 *       {@code add_files}; and, with an S3 server, {@code iceberg_s3}, whose catalog and data are
 *       on S3. The Iceberg plugin ({@code trino-iceberg}) must then be on the class path.</li>
 * </ul>
 *
 * <p>Shipped in this module's test jar for other modules' tests. The caller closes it.
 */
public final class TrinoTestServer implements AutoCloseable {
    /**
     * The JUnit resource lock of test classes that start an in-process Trino: classes that keep
     * one server for all their tests take it for reading, side by side; a class that starts and
     * restarts servers in its tests takes it for writing and runs alone.
     */
    public static final String LOCK = "pocaduck.in-process-trino";

    private final DistributedQueryRunner runner;
    private final String location;
    private final Path lake;

    private TrinoTestServer(DistributedQueryRunner runner, String location, Path lake) {
        this.runner = runner;
        this.location = location;
        this.lake = lake;
    }

    /** Starts a coordinator with the memory catalog only. */
    public static TrinoTestServer start() throws Exception {
        return start(null, Optional.empty());
    }

    /**
     * Starts a coordinator with the memory and Iceberg catalogs.
     *
     * @param lake the directory of the Iceberg catalogs (created if missing); a server started
     *     again on the same directory sees the same tables
     */
    public static TrinoTestServer startIceberg(Path lake) throws Exception {
        return start(lake, Optional.empty());
    }

    /**
     * Starts a coordinator with the memory and Iceberg catalogs, and an Iceberg catalog on S3.
     *
     * @param s3 the S3 server, its credentials and the bucket of the {@code iceberg_s3} catalog
     */
    public static TrinoTestServer startIceberg(Path lake, S3Catalog s3) throws Exception {
        return start(lake, Optional.of(s3));
    }

    /**
     * Where the {@code iceberg_s3} catalog keeps its metastore and data.
     *
     * @param endpoint the S3 endpoint, {@code http://host:port}
     * @param accessKey the access key
     * @param secretKey the secret key
     * @param bucket the bucket (it must exist)
     */
    public record S3Catalog(String endpoint, String accessKey, String secretKey, String bucket) {
    }

    private static TrinoTestServer start(Path lake, Optional<S3Catalog> s3) throws Exception {
        Path root = lake == null ? null : lake.toAbsolutePath().normalize();
        DistributedQueryRunner runner = DistributedQueryRunner.builder(
                        testSessionBuilder().setCatalog("memory").setSchema("default").build())
                .setWorkerCount(0)
                // Bulk inserts are long multi-row statements.
                .addCoordinatorProperty("query.max-length", "100000000")
                .build();
        try {
            runner.installPlugin(new MemoryPlugin());
            runner.createCatalog("memory", "memory", Map.of("memory.max-data-per-node", "3GB"));
            if (root != null) {
                Iceberg.install(runner, root, s3);
            }
            URI base = runner.getCoordinator().getBaseUrl();
            return new TrinoTestServer(runner, "trino://" + base.getHost() + ":" + base.getPort(), root);
        } catch (IOException | RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /**
     * The Iceberg catalogs, in a class of their own: loaded only where a test starts them, so
     * tests without the Iceberg plugin on their class path use the memory catalog alone.
     */
    private static final class Iceberg {
        static void install(DistributedQueryRunner runner, Path root, Optional<S3Catalog> s3) throws IOException {
            // Iceberg logs every snapshot commit and scan at INFO: thousands of lines per test class.
            io.airlift.log.Logging.initialize().setLevel("org.apache.iceberg", io.airlift.log.Level.WARN);
            Files.createDirectories(root.resolve("catalog"));
            Files.createDirectories(root.resolve("staging"));
            runner.installPlugin(new IcebergPlugin());
            runner.createCatalog("iceberg", "iceberg", localIceberg(root, true));
            runner.createCatalog("iceberg_no_add_files", "iceberg", localIceberg(root, false));
            if (s3.isPresent()) {
                Map<String, String> properties = new HashMap<>();
                properties.put("iceberg.catalog.type", "TESTING_FILE_METASTORE");
                properties.put("hive.metastore.catalog.dir", "s3://" + s3.get().bucket() + "/catalog");
                properties.put("fs.s3.enabled", "true");
                properties.put("s3.endpoint", s3.get().endpoint());
                properties.put("s3.path-style-access", "true");
                properties.put("s3.region", "us-east-1");
                properties.put("s3.aws-access-key", s3.get().accessKey());
                properties.put("s3.aws-secret-key", s3.get().secretKey());
                properties.put("iceberg.add-files-procedure.enabled", "true");
                runner.createCatalog("iceberg_s3", "iceberg", properties);
            }
        }
    }

    /** Iceberg on a file metastore and Trino's local file system rooted at the lake. */
    private static Map<String, String> localIceberg(Path root, boolean addFiles) {
        Map<String, String> properties = new HashMap<>();
        properties.put("iceberg.catalog.type", "TESTING_FILE_METASTORE");
        properties.put("hive.metastore.catalog.dir", "local:///catalog");
        properties.put("fs.local.enabled", "true");
        properties.put("local.location", root.toString());
        properties.put("iceberg.add-files-procedure.enabled", Boolean.toString(addFiles));
        return properties;
    }

    /** @return {@code trino://host:port} of the coordinator */
    public String location() {
        return location;
    }

    /** @return the directory of the local Iceberg catalogs */
    public Path lake() {
        return lake;
    }

    /**
     * @param name a directory name under the lake's {@code staging} directory
     * @return the local staging directory of that name, created if missing
     */
    public Path stagingDirectory(String name) throws IOException {
        return Files.createDirectories(lake.resolve("staging").resolve(name));
    }

    /** @return how the server names a staging directory of {@link #stagingDirectory} */
    public String serverLocation(String name) {
        return "local:///staging/" + name;
    }

    @Override
    public void close() {
        runner.close();
    }
}
