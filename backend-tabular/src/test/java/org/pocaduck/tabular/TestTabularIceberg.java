package org.pocaduck.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.pocaduck.ConfigurationException;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSelection;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.testkit.S3Server;

/**
 * The tabular backend on Trino with a persistent Iceberg catalog, beyond the contract: what it
 * wrote survives a restart of the server (on a local lake and on S3), a worker killed between
 * staging its Parquet files and registering them leaves nothing visible and its rerun completes
 * the store, and bad settings fail with one clear message naming the option, with nothing
 * half-registered visible.
 */
@ResourceLock(TrinoTestServer.LOCK)
class TestTabularIceberg {
    @TempDir
    Path dir;

    /** 600 labels over the uint64 range (3 points each, D = 3), written in several small flushes. */
    static Map<Long, PointCloud> clouds() {
        Map<Long, PointCloud> clouds = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            long label = i % 2 == 0 ? i : -1L - i;
            clouds.put(label, PointCloud.ofRows(3, new long[] {i, 1, 2}, new long[] {i, -3, 4}, new long[] {-i, 5, i}));
        }
        return clouds;
    }

    private static StorageConfig.Builder config(TrinoTestServer trino, String catalog, String table) throws Exception {
        return StorageConfig.builder("tabular").location(trino.location()).option("catalog", catalog)
                .option("schema", "s").option("table", table).option("user", "test")
                // About 30 KB a flush: the run is staged as several files.
                .option("write_buffer_bytes", "32KiB")
                .option("staging_location", trino.stagingDirectory(table).toString())
                .option("staging_server_location", trino.serverLocation(table));
    }

    private static void write(Store store, String worker) {
        try (Ingestor ingestor = store.ingestor(worker)) {
            clouds().forEach((label, cloud) -> ingestor.write(label, "b" + Long.remainderUnsigned(label, 3), cloud));
            ingestor.commit();
        }
    }

    /** Asserts the store holds exactly {@link #clouds()}, read label by label and as one stream. */
    private static void assertHoldsClouds(StorageConfig config) {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.labelCount()).isEqualTo(600);
            assertThat(store.committedWorkers()).containsExactly("w0");
            Map<Long, PointCloud> expected = clouds();
            for (long label : new long[] {0L, 598L, -2L, -600L}) {
                assertThat(query.points(label).sorted()).as("label %s", Long.toUnsignedString(label))
                        .isEqualTo(expected.get(label).sorted());
            }
            long points = 0;
            try (var chunks = query.streamLabels(LabelSelection.all(), 1000)) {
                while (chunks.hasNext()) {
                    var chunk = chunks.next();
                    assertThat(chunk.points().sorted()).isEqualTo(expected.get(chunk.label()).sorted());
                    points += chunk.points().size();
                }
            }
            assertThat(points).isEqualTo(1800);
        }
    }

    private static int stagedFiles(Path staging) throws Exception {
        try (Stream<Path> files = Files.walk(staging)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    @Test
    void whatWasWrittenSurvivesARestartOfTheServer() throws Exception {
        Path lake = dir.resolve("lake");
        StorageConfig config;
        try (TrinoTestServer trino = TrinoTestServer.startIceberg(lake)) {
            config = config(trino, "iceberg", "restart").build();
            try (Store store = PocaDuck.open(config)) {
                write(store, "w0");
                store.consolidate();
            }
            assertThat(stagedFiles(trino.stagingDirectory("restart"))).as("staged files").isGreaterThan(2);
            assertHoldsClouds(config);
        }
        try (TrinoTestServer restarted = TrinoTestServer.startIceberg(lake)) {
            assertHoldsClouds(config(restarted, "iceberg", "restart").build());
            // Results gzip-compressed over HTTP, as for a slow link: the same points.
            assertHoldsClouds(config(restarted, "iceberg", "restart").option("result_compression", "true").build());
        }
    }

    @Test
    void aWorkerKilledBetweenStagingAndRegisteringLeavesNothingVisibleAndItsRerunCompletes() throws Exception {
        try (TrinoTestServer trino = TrinoTestServer.startIceberg(dir.resolve("lake"))) {
            StorageConfig config = config(trino, "iceberg", "killed").build();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), StagedWorkerMain.class.getName(), config.location()));
            config.options().forEach((key, value) -> command.add(key + "=" + value));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.equals("STAGED"));
                assertThat(line).as("the worker staged its rows").isEqualTo("STAGED");
                child.destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(stagedFiles(trino.stagingDirectory("killed"))).as("files staged, never registered")
                    .isGreaterThan(2);
            try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
                assertThat(store.committedWorkers()).isEmpty();
                assertThat(query.labelCount()).isZero();
                assertThat(query.points(0L).size()).isZero();
            }
            try (Connection c = DriverManager.getConnection("jdbc:trino://" + trino.location().substring(8), "test",
                    null); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM iceberg.s.\"killed$files\"")) {
                rs.next();
                assertThat(rs.getLong(1)).as("data files registered").isZero();
            }
            try (Store store = PocaDuck.open(config)) {
                write(store, "w0");
                store.consolidate();
            }
            assertHoldsClouds(config);
        }
    }

    @Test
    void badSettingsFailNamingTheOptionAndLeaveNothingVisible() throws Exception {
        try (TrinoTestServer trino = TrinoTestServer.startIceberg(dir.resolve("lake"))) {
            // A catalog that cannot register files is refused when the store opens.
            assertThatThrownBy(() -> PocaDuck.open(config(trino, "memory", "refused").build()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Invalid option 'staging_location' for tabular store ")
                    .hasMessageContaining("catalog 'memory' cannot register Parquet files (its connector is 'memory'");

            // An Iceberg catalog without add_files: the commit fails naming the setting; nothing is visible.
            StorageConfig disabled = config(trino, "iceberg_no_add_files", "disabled").build();
            try (Store store = PocaDuck.open(disabled)) {
                assertThatThrownBy(() -> write(store, "w0")).isInstanceOf(StorageException.class)
                        .hasMessageContaining("Cannot register the ")
                        .hasMessageContaining("iceberg.add-files-procedure.enabled")
                        .hasMessageContaining("nothing of this run is visible");
                try (Query query = store.query()) {
                    assertThat(store.committedWorkers()).isEmpty();
                    assertThat(query.labelCount()).isZero();
                }
            }

            // A staging location the server reads elsewhere: add_files finds nothing there.
            StorageConfig elsewhere = config(trino, "iceberg", "elsewhere")
                    .option("staging_server_location", "local:///staging/not-there").build();
            try (Store store = PocaDuck.open(elsewhere)) {
                assertThatThrownBy(() -> write(store, "w0")).isInstanceOf(StorageException.class)
                        .hasMessageContaining("staging_server_location")
                        .hasMessageContaining("local:///staging/not-there/elsewhere/w0/");
                try (Query query = store.query()) {
                    assertThat(store.committedWorkers()).isEmpty();
                    assertThat(query.labelCount()).isZero();
                }
            }

            // A relative staging directory, and a local one without the server's name for it.
            assertThatThrownBy(() -> PocaDuck.open(config(trino, "iceberg", "relative")
                    .option("staging_location", "staging/relative").build()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Invalid option 'staging_location' = 'staging/relative' for storage type 'tabular': it "
                            + "must be an absolute directory or an s3:// URI");
            StorageConfig.Builder unnamed = StorageConfig.builder("tabular").location(trino.location())
                    .option("catalog", "iceberg").option("staging_location", dir.resolve("x").toString());
            assertThatThrownBy(() -> PocaDuck.open(unnamed.build())).isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Missing option 'staging_server_location' for storage type 'tabular'");
        }
        // An unreachable server: one line naming the location.
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StorageConfig unreachable = StorageConfig.builder("tabular").location("trino://127.0.0.1:" + port)
                .option("catalog", "iceberg").build();
        assertThatThrownBy(() -> PocaDuck.open(unreachable)).isInstanceOf(StorageException.class)
                .hasMessageStartingWith("Cannot open tabular store jdbc:trino://127.0.0.1:" + port + " iceberg.");
    }

    @Test
    void onS3TheCatalogTheStagedFilesAndARestartWork() throws Exception {
        try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
            s3.createBucket("lake");
            TrinoTestServer.S3Catalog catalog = new TrinoTestServer.S3Catalog(s3.endpoint(), S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, "lake");
            StorageConfig config = null;
            for (int start = 0; start < 2; start++) {
                try (TrinoTestServer trino = TrinoTestServer.startIceberg(dir.resolve("local-lake"), catalog)) {
                    config = StorageConfig.builder("tabular").location(trino.location()).option("catalog", "iceberg_s3")
                            .option("schema", "s").option("table", "ons3").option("user", "test")
                            .option("write_buffer_bytes", "32KiB")
                            .option("staging_location", "s3://lake/staging")
                            .option("s3_endpoint", s3.endpoint()).option("s3_access_key_id", S3Server.ACCESS_KEY)
                            .option("s3_secret_access_key", S3Server.SECRET_KEY)
                            .option("cache_dir", dir.resolve("cache").toString()).build();
                    if (start == 0) {
                        try (Store store = PocaDuck.open(config)) {
                            write(store, "w0");
                            store.consolidate();
                        }
                        try (Stream<Path> staged = Files.walk(s3.objectFile("lake", "staging"))) {
                            assertThat(staged.filter(p -> p.toString().endsWith(".parquet")).count())
                                    .as("staged objects").isGreaterThan(2);
                        }
                    }
                    assertHoldsClouds(config);
                }
            }
        }
    }
}
