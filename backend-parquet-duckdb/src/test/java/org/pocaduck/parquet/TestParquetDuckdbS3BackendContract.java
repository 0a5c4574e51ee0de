package org.pocaduck.parquet;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.StorageConfig;
import org.pocaduck.testkit.BackendContractTest;
import org.pocaduck.testkit.S3Server;

/**
 * The parquet-duckdb backend on an {@code s3://} store passes the whole backend contract: every
 * store is a fresh prefix of one bucket on a real S3 server (s3proxy on 127.0.0.1), with its
 * index cache in the test's directory.
 */
class TestParquetDuckdbS3BackendContract extends BackendContractTest {
    static final String BUCKET = "contract";
    @TempDir
    static Path serverDir;
    private static S3Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverDir);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected String storageType() {
        return ParquetDuckdbBackendFactory.STORAGE_TYPE;
    }

    @Override
    protected StorageConfig.Builder newStoreConfig(Path directory) {
        // One prefix per store (the directory names are reused by each test's fresh TempDir).
        return server.storeConfig(ParquetDuckdbBackendFactory.STORAGE_TYPE, BUCKET,
                directory.getFileName() + "-" + UUID.randomUUID().toString().substring(0, 8),
                directory.resolve("cache"));
    }
}
