package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.Timed;
import org.pocaduck.parquet.index.Consolidator;
import org.pocaduck.parquet.io.Locks;
import org.pocaduck.parquet.io.S3StoreIO;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;
import org.pocaduck.s3.S3Options;
import org.pocaduck.testkit.HttpFaultProxy;
import org.pocaduck.testkit.S3Server;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What only an {@code s3://} store does, against a real S3 server (s3proxy on 127.0.0.1): ranged
 * reads, multipart uploads, conditional replacement of {@code CURRENT}, and the faults of issue
 * 13 (a server gone mid-run, wrong credentials, a missing bucket or endpoint, an object deleted
 * under a reader), each with its exact error and a clean store after a rerun.
 */
class TestS3Store {
    private static final String BUCKET = "faults";
    @TempDir
    static Path serverDir;
    private static S3Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverDir);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private StorageConfig.Builder config(String prefix) {
        return server.storeConfig(ParquetDuckdbBackendFactory.STORAGE_TYPE, BUCKET, prefix, dir.resolve("cache"));
    }

    private static String prefix() {
        return "store-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static PointCloud cloud(long seed, int points) {
        Random random = new Random(seed);
        long[] values = new long[points * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(1 << 20);
        }
        return PointCloud.wrap(values, 3);
    }

    private List<String> objectsUnder(String prefix) throws Exception {
        Path root = server.objectFile(BUCKET, prefix);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Test
    void aLabelIsReadWithRangedGetsOfItsPagesOnly() {
        StorageConfig config = config(prefix()).option("cache_bytes", "0").build();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor ingestor = store.ingestor("w0")) {
                for (long label = 1; label <= 200; label++) {
                    ingestor.write(label, "b0", cloud(label, 5_000));
                }
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                Timed<PointCloud> read = query.pointsTimed(77);
                assertThat(read.result()).isEqualTo(cloud(77, 5_000));
                long fileBytes = store.query().stats().bytes();
                // The footer, the dictionaries and the pages of 5,000 of 1,000,000 rows: a small
                // part of the file, never a download of all of it.
                assertThat(read.timing().filesTouched()).isEqualTo(1);
                assertThat(read.timing().bytesRead()).isPositive().isLessThan(fileBytes / 4);
            }
        }
    }

    @Test
    void aDataFileLargerThanAPartIsUploadedInPartsAndReadBack() throws Exception {
        String prefix = prefix();
        StorageConfig config = config(prefix).option("s3_part_bytes", "5MiB").build();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor ingestor = store.ingestor("w0")) {
                for (long label = 1; label <= 4; label++) {
                    ingestor.write(label, "b0", cloud(label, 500_000));
                }
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                for (long label = 1; label <= 4; label++) {
                    assertThat(query.points(label)).isEqualTo(cloud(label, 500_000));
                }
            }
        }
        List<String> parquet = objectsUnder(prefix).stream().filter(n -> n.endsWith(".parquet")).toList();
        assertThat(parquet).hasSize(1);
        assertThat(Files.size(server.objectFile(BUCKET, prefix + "/" + parquet.getFirst())))
                .isGreaterThan(2 * S3Options.MIN_PART_BYTES);
    }

    @Test
    void aWorkerWhoseServerStopsMidRunFailsNamingTheKeyAndItsRerunLeavesACleanStore() throws Exception {
        String prefix = prefix();
        StorageConfig config = config(prefix).option("buffer_bytes", "1MiB").build();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor first = store.ingestor("w0")) {
                first.write(1, "b0", cloud(1, 50_000)); // 1.2 MB: the next write flushes a file
                first.write(2, "b0", cloud(2, 50_000));
                server.stop();
                try {
                    assertThatThrownBy(() -> {
                        first.write(3, "b0", cloud(3, 50_000));
                        first.commit();
                    }).isInstanceOf(StorageException.class)
                            .hasMessageStartingWith("Cannot write Parquet file s3://" + BUCKET + "/" + prefix
                                    + "/workers/w0/run-")
                            .hasMessageContaining("Cannot upload ")
                            .hasMessageContaining("at " + server.endpoint() + ": ")
                            .hasMessageNotContaining(S3Server.SECRET_KEY);
                } finally {
                    server.restart();
                }
            }
            assertThat(store.committedWorkers()).isEmpty();
            try (Ingestor rerun = store.ingestor("w0")) {
                for (long label = 1; label <= 3; label++) {
                    rerun.write(label, "b0", cloud(label, 50_000));
                }
                rerun.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(1, 2, 3);
                for (long label = 1; label <= 3; label++) {
                    assertThat(query.points(label)).isEqualTo(cloud(label, 50_000));
                }
            }
        }
        // Only the committed run is left: the failed run's files were removed by the rerun's commit.
        List<String> runs = objectsUnder(prefix).stream().filter(n -> n.startsWith("workers/w0/run-"))
                .map(n -> n.split("/")[2]).distinct().toList();
        String current = Files.readString(server.objectFile(BUCKET, prefix + "/workers/w0/CURRENT")).strip();
        assertThat(runs).containsExactly(current);
    }

    @Test
    void throttlingAndConnectionsDroppedMidUploadOrMidReadAreRetried() throws Exception {
        String prefix = prefix();
        try (HttpFaultProxy proxy = HttpFaultProxy.start("127.0.0.1", server.port())) {
            StorageConfig config = config(prefix).option("s3_endpoint", proxy.endpoint()).option("cache_bytes", "0")
                    .build();
            try (Store store = PocaDuck.open(config)) {
                try (Ingestor ingestor = store.ingestor("w0")) {
                    for (long label = 1; label <= 20; label++) {
                        ingestor.write(label, "b0", cloud(label, 1_000));
                    }
                    // The data file's upload is throttled twice, then its connection dropped once.
                    proxy.failNext(2, line -> line.startsWith("PUT ") && line.contains(".parquet"), 503, "SlowDown");
                    proxy.dropNext(1, line -> line.startsWith("PUT ") && line.contains(".parquet"));
                    ingestor.commit();
                }
                assertThat(proxy.injected()).isEqualTo(3);
                proxy.failNext(1, line -> line.startsWith("PUT ") && line.contains("/index/CURRENT"), 503,
                        "SlowDown");
                store.consolidate();
                assertThat(proxy.injected()).isEqualTo(4);
                try (Query query = store.query()) {
                    // A ranged read throttled, then one whose body is cut off after 10 bytes.
                    proxy.failNext(1, line -> line.startsWith("GET ") && line.contains(".parquet"), 503, "SlowDown");
                    proxy.cutNext(1, line -> line.startsWith("GET ") && line.contains(".parquet"), 10);
                    for (long label = 1; label <= 20; label++) {
                        assertThat(query.points(label)).isEqualTo(cloud(label, 1_000));
                    }
                    assertThat(proxy.injected()).isEqualTo(6);
                }
            }
        }
    }

    @Test
    void wrongCredentialsFailNamingTheBucketAndNeverTheSecret() {
        String wrongSecret = "not-the-secret-" + UUID.randomUUID();
        StorageConfig config = config(prefix()).option("s3_secret_access_key", wrongSecret).build();
        assertThat(config.toString()).doesNotContain(wrongSecret);
        assertThatThrownBy(() -> PocaDuck.open(config))
                .isInstanceOf(StorageException.class)
                .hasMessage("Cannot open store s3://" + BUCKET + "/" + config.location().substring(("s3://" + BUCKET
                        + "/").length()) + ": access denied (HTTP 403): check the credentials (s3_access_key_id and "
                        + "s3_secret_access_key, or the AWS default chain) and the bucket's policy")
                .hasMessageNotContaining(wrongSecret);
    }

    @Test
    void aMissingBucketFailsNamingIt() {
        StorageConfig config = server.storeConfig(ParquetDuckdbBackendFactory.STORAGE_TYPE, "no-such-bucket", "p",
                dir.resolve("cache")).build();
        assertThatThrownBy(() -> PocaDuck.open(config))
                .isInstanceOf(StorageException.class)
                .hasMessage("Cannot open store s3://no-such-bucket/p: the bucket 'no-such-bucket' does not exist at "
                        + server.endpoint());
    }

    @Test
    void aWrongEndpointFailsNamingIt() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        StorageConfig config = config("p").option("s3_endpoint", endpoint).build();
        assertThatThrownBy(() -> PocaDuck.open(config))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("Cannot open store s3://" + BUCKET + "/p at " + endpoint + ": ")
                .hasMessageContaining("Connection refused");
    }

    @Test
    void anObjectDeletedUnderAReaderFailsNamingItsKey() throws Exception {
        String prefix = prefix();
        try (Store store = PocaDuck.open(config(prefix).option("cache_bytes", "0").build())) {
            try (Ingestor ingestor = store.ingestor("w0")) {
                ingestor.write(5, "b0", cloud(5, 100));
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                String data = objectsUnder(prefix).stream().filter(n -> n.endsWith(".parquet")).findFirst()
                        .orElseThrow();
                Files.delete(server.objectFile(BUCKET, prefix + "/" + data));
                assertThatThrownBy(() -> query.points(5))
                        .isInstanceOf(StorageException.class)
                        .hasMessage("Cannot read points of label 5: data file s3://" + BUCKET + "/" + prefix + "/"
                                + data + " is missing");
            }
        }
    }

    @Test
    void currentIsReplacedOnlyIfNobodyReplacedItMeanwhile() throws Exception {
        String prefix = prefix();
        try (S3StoreIO io = S3StoreIO.open(S3Options.from(config(prefix).build()), new Locks())) {
            String name = StoreLayout.indexCurrent();
            assertThat(io.writeIf(name, bytes("a"), null)).isTrue();
            assertThat(io.writeIf(name, bytes("b"), null)).isFalse();
            StoreIO.Versioned a = io.read(name);
            io.write(name, bytes("other"));
            assertThat(io.writeIf(name, bytes("c"), a.version())).isFalse();
            assertThat(new String(io.read(name).bytes(), StandardCharsets.UTF_8)).isEqualTo("other");
            assertThat(io.writeIf(name, bytes("d"), io.read(name).version())).isTrue();
            assertThat(new String(io.read(name).bytes(), StandardCharsets.UTF_8)).isEqualTo("d");

            // The server itself refuses a stale If-Match: the conditional PUT, not only the check
            // before it, guards CURRENT on this server.
            String stale = a.version();
            assertThatThrownBy(() -> io.bucket().client().putObject(b -> b.bucket(BUCKET).key(io.bucket().key(name)).ifMatch(stale),
                    RequestBody.fromBytes(bytes("e"))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThatThrownBy(() -> io.bucket().client().putObject(b -> b.bucket(BUCKET).key(io.bucket().key(name)).ifNoneMatch("*"),
                    RequestBody.fromBytes(bytes("f"))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        }
    }

    @Test
    void ofTwoConsolidationsAtOnceTheLaterSwitchFailsClearlyAndLeavesTheWinnersIndex() throws Exception {
        String prefix = prefix();
        StorageConfig config = config(prefix).build();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor ingestor = store.ingestor("w0")) {
                ingestor.write(9, "b0", cloud(9, 100));
                ingestor.commit();
            }
            store.consolidate();
        }
        String winner;
        try (S3StoreIO io = S3StoreIO.open(S3Options.from(config), new Locks())) {
            winner = new String(io.read(StoreLayout.indexCurrent()).bytes(), StandardCharsets.UTF_8);
            List<String> indexesBefore = io.list(StoreLayout.INDEX);
            // Another consolidation switches CURRENT while this one runs: to the same complete index, its
            // name written with a line end, so the object (and its ETag) changes. Rewriting the same
            // bytes would leave the ETag, and so the switch, valid.
            Consolidator loser = new Consolidator(io, null, java.util.OptionalLong.empty(), () -> {
                try {
                    io.write(StoreLayout.indexCurrent(), bytes(winner + "\n"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThatThrownBy(loser::run)
                    .isInstanceOf(StorageException.class)
                    .hasMessage("Cannot consolidate store s3://" + BUCKET + "/" + prefix + ": another consolidation "
                            + "replaced s3://" + BUCKET + "/" + prefix + "/index/CURRENT while this one ran (it named "
                            + winner + ", now " + winner + "); the store uses that one and nothing of this one: "
                            + "consolidate again to include commits made since");
            assertThat(new String(io.read(StoreLayout.indexCurrent()).bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(winner + "\n");
            // The loser's index and run list are gone; the winner's are kept.
            assertThat(io.list(StoreLayout.INDEX)).containsExactlyInAnyOrderElementsOf(indexesBefore);
        }
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.points(9)).isEqualTo(cloud(9, 100));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
