package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.options.Defaults;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.S3Server;
import org.pocaduck.testkit.SharedData;

/**
 * The command line on {@code s3://} stores of the default backend, against a real S3 server
 * (s3proxy on 127.0.0.1 in this JVM, one for the class): a scan, cluster workers in separate
 * processes plus a consolidation, and migrations from a local store to S3 and back, each giving
 * exactly the label stats of gt_bodies; the secret key never appears in what the tool prints.
 * Each store is a fresh prefix of one bucket, its index cache in the test's directory.
 */
class TestS3Store {
    private static final String BUCKET = "pocaduck-cli";
    private static final Path VOLUME = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");
    private static final LabelStats EXPECTED =
            LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));

    @TempDir
    static Path serverDir;

    private static S3Server server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverDir.resolve("objects"));
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scanIntoS3GivesEveryLabelItsVoxelCountAndBlocks64WithoutPrintingTheSecret() {
        String prefix = freshPrefix("scan");
        StorageConfig config = s3Config(prefix);
        Cli.Run run = ScanChecks.assertScanMatches(config, optionArgs(config), VOLUME, EXPECTED);
        assertThat(run.out()).contains("\"location\" : \"s3://" + BUCKET + "/" + prefix + "\"");
        assertNoSecret(run.out(), run.err());
        assertStoredOnServer(prefix);
    }

    @Test
    void threeWorkerProcessesIntoOnePrefixPlusConsolidate() throws IOException, InterruptedException {
        String prefix = freshPrefix("job-array");
        StorageConfig config = s3Config(prefix);
        // One store.properties for the whole job array, as a cluster would share it.
        Path properties = writeProperties(config, dir.resolve("store.properties"));
        List<String> logs = Cli.scanInWorkerProcesses(dir, 3, List.of(VOLUME.toString(), "--config",
                properties.toString(), "--keep-background", "--quiet", "-v"));
        // -v: the library logs at INFO went into the same logs, and the secret is in none of them.
        assertThat(logs).allSatisfy(log -> assertThat(log).contains("Storage type 'parquet-duckdb' is served by")
                .doesNotContain(S3Server.SECRET_KEY).doesNotContain("pocaduck: warning"));
        Cli.Run consolidate = Cli.ok("consolidate", "--config", properties.toString());
        assertNoSecret(consolidate.out(), consolidate.err());

        ScanChecks.assertStoreMatches(config, EXPECTED);
        assertStoredOnServer(prefix);
    }

    @Test
    void migrateFromLocalToS3AndBackVerifiedAtEachStep() throws IOException {
        long labels = EXPECTED.byLabel().size() - 1; // the scan skips background
        long points = EXPECTED.totalVoxels() - EXPECTED.byLabel().get(0L).voxelCount();
        String first = Cli.freshStore(dir, "first");
        Cli.ok("scan", VOLUME.toString(), "--location", first, "--quiet");

        String prefix = freshPrefix("migrated");
        StorageConfig s3 = s3Config(prefix);
        Cli.Run there = Cli.ok("migrate", "--from", "parquet-duckdb:" + first, "--to", storeSpec(s3), "--verify",
                "--workers", "2", "--json");
        assertMigratedAndVerified(there, labels, points);
        assertThat(there.out()).contains("\"destination\" : \"parquet-duckdb:s3://" + BUCKET + "/" + prefix + "\"");
        assertNoSecret(there.out(), there.err());
        assertStoredOnServer(prefix);

        String back = Cli.freshStore(dir, "back");
        Path properties = writeProperties(s3, dir.resolve("s3-store.properties"));
        Cli.Run home = Cli.ok("migrate", "--from", properties.toString(), "--to", "parquet-duckdb:" + back,
                "--verify", "--json");
        assertMigratedAndVerified(home, labels, points);
        assertNoSecret(home.out(), home.err());

        List<LabelSummary> original = LabelStats.summariesOf(Cli.config(first));
        assertThat(original).hasSize((int) labels);
        assertThat(LabelStats.summariesOf(s3)).isEqualTo(original);
        assertThat(LabelStats.summariesOf(Cli.config(back))).isEqualTo(original);
        try (Store store = PocaDuck.openExisting(Cli.config(back)); Query query = store.query();
                LabelSummaries summaries = query.labelSummaries()) {
            assertThat(EXPECTED.differences(summaries, false)).isEmpty();
        }
        // The first and the last store point for point, as 'pocaduck verify' compares them.
        Cli.Run verify = Cli.ok("verify", "--store", "parquet-duckdb:" + first, "--store", "parquet-duckdb:" + back,
                "--json");
        assertThat(verify.out()).contains("\"labels\" : " + labels).contains("\"points\" : " + points)
                .contains("\"mismatches\" : 0");
    }

    /** A migration's JSON summary: every label and point copied, and its verification clean. */
    private static void assertMigratedAndVerified(Cli.Run run, long labels, long points) {
        assertThat(run.out()).contains("\"labels\" : " + labels).contains("\"points\" : " + points)
                .contains("\"shares_skipped\" : 0").contains("\"points_copied\" : " + points)
                .contains("\"verification\"").contains("\"mismatches\" : 0").contains("\"mismatching_labels\" : [ ]");
    }

    private static String freshPrefix(String hint) {
        return "stores/" + hint + "-" + UUID.randomUUID();
    }

    /** A parquet-duckdb store at {@code s3://BUCKET/prefix} on the server, with every S3 option set. */
    private StorageConfig s3Config(String prefix) {
        return server.storeConfig(Defaults.STORAGE_TYPE, BUCKET, prefix, dir.resolve("cache")).build();
    }

    /** The store as {@code --location} plus one {@code --option key=value} per option. */
    private static List<String> optionArgs(StorageConfig config) {
        List<String> args = new ArrayList<>(List.of("--location", config.location()));
        config.options().forEach((key, value) -> args.addAll(List.of("--option", key + "=" + value)));
        return args;
    }

    /** The store as {@code TYPE:LOCATION,key=value...} (migrate's and verify's form). */
    private static String storeSpec(StorageConfig config) {
        StringBuilder spec = new StringBuilder(config.storageType()).append(':').append(config.location());
        config.options().forEach((key, value) -> spec.append(',').append(key).append('=').append(value));
        return spec.toString();
    }

    private static Path writeProperties(StorageConfig config, Path file) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.toProperties().store(writer, "an s3:// store on the test's S3 server");
        }
        return file;
    }

    /** The store's objects are on the server (not in a local directory named "s3:"). */
    private static void assertStoredOnServer(String prefix) {
        assertThat(server.objectFile(BUCKET, prefix + "/manifest.json")).isRegularFile();
        assertThat(Path.of("s3:")).doesNotExist();
    }

    private static void assertNoSecret(String... outputs) {
        for (String output : outputs) {
            assertThat(output).doesNotContain(S3Server.SECRET_KEY);
        }
    }
}
