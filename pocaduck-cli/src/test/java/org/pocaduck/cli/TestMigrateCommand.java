package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.tabular.TrinoTestServer;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * {@code pocaduck migrate} and {@code pocaduck verify} on real data and real backends: the whole
 * gt_bodies volume scanned into parquet-duckdb, migrated to tabular on DuckDB and back, a selection
 * of its labels through an in-process Trino, and a migration killed with {@code kill -9} in a
 * separate process, then rerun.
 */
class TestMigrateCommand {
    private static final Path STATS = SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv");

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static TrinoTestServer trino;
    /** gt_bodies scanned once (background skipped) into parquet-duckdb. */
    private static String scanned;

    @BeforeAll
    static void scanAndStartTrino() throws Exception {
        scanned = Cli.freshStore(shared, "gt-bodies");
        Cli.ok("scan", SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz").toString(), "--location", scanned,
                "--quiet");
        trino = TrinoTestServer.start();
    }

    @AfterAll
    static void stopTrino() {
        if (trino != null) {
            trino.close();
        }
    }

    @Test
    void gtBodiesToTabularDuckdbAndBackVerifiedAtEachStep() {
        String table = "tabular:" + dir.resolve("bodies.duckdb");
        Cli.Run there = Cli.ok("migrate", "--from", "parquet-duckdb:" + scanned, "--to", table, "--verify",
                "--workers", "2");
        assertThat(there.out()).contains("mismatches:   0").contains("labels:       525");
        String back = Cli.freshStore(dir, "back");
        Cli.Run json = Cli.ok("migrate", "--from", table, "--to", "parquet-duckdb:" + back, "--verify", "--json");
        assertThat(json.out()).contains("\"mismatches\" : 0").contains("\"labels\" : 525");
        try (Store store = PocaDuck.openExisting(Cli.config(back)); Query query = store.query();
                LabelSummaries summaries = query.labelSummaries()) {
            assertThat(LabelStats.read(STATS).differences(summaries, false)).isEmpty();
        }
    }

    @Test
    void selectedLabelsThroughTrinoAndBack() throws IOException {
        // Trino costs a statement (tens of ms) per label read: 60 small bodies, not all 525.
        List<String> lines = Files.readAllLines(STATS);
        List<Long> selected = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            long label = Labels.parse(cells[0]);
            if (label != 0 && Long.parseLong(cells[1]) < 20_000 && selected.size() < 60) {
                selected.add(label);
            }
        }
        Path labels = dir.resolve("labels.txt");
        Files.writeString(labels, "# 60 small gt_bodies labels\n" + String.join("\n",
                selected.stream().map(Labels::format).toList()) + "\n");
        String trinoStore = "tabular:" + trino.location() + ",catalog=memory,schema=migrate,table=bodies,user=test";
        Cli.Run there = Cli.ok("migrate", "--from", "parquet-duckdb:" + scanned, "--to", trinoStore, "--labels",
                labels.toString(), "--verify", "--json");
        assertThat(there.out()).contains("\"mismatches\" : 0").contains("\"labels\" : 60");
        System.err.println("migrate parquet-duckdb -> tabular (Trino), README's figure: " + there.out());
        String back = Cli.freshStore(dir, "back");
        Cli.Run json = Cli.ok("migrate", "--from", trinoStore, "--to", "parquet-duckdb:" + back, "--verify", "--json");
        assertThat(json.out()).contains("\"mismatches\" : 0").contains("\"labels\" : 60");
        List<LabelSummary> expected = LabelStats.summariesOf(Cli.config(scanned)).stream()
                .filter(s -> selected.contains(s.label())).toList();
        assertThat(LabelStats.summariesOf(Cli.config(back))).isEqualTo(expected);

        // verify on its own: clean on the selection, and the other labels named as only in A.
        assertThat(Cli.ok("verify", "--store", "parquet-duckdb:" + scanned, "--store", trinoStore, "--labels",
                labels.toString()).out()).contains("labels:       60").contains("mismatches:   0");
        Cli.Run differ = Cli.run("verify", "--store", "parquet-duckdb:" + scanned, "--store", "parquet-duckdb:" + back,
                "--max-reported", "2");
        assertThat(differ.exitCode()).isEqualTo(1);
        assertThat(differ.out()).contains("labels:       525").contains("mismatches:   465")
                .containsPattern("mismatch \\d+: only in A \\(\\d+ points\\)").contains("... and 463 more");
    }

    @Test
    void killedWithSigkillThenRerunEndsAsOneCleanRunWithoutDuplicateRows() throws Exception {
        Path file = dir.resolve("killed.duckdb");
        String table = "tabular:" + file;
        List<String> command = Cli.childJvm(List.of("-v", "migrate", "--from", "parquet-duckdb:" + scanned, "--to",
                table, "--share-points", "200000", "--workers", "1", "--quiet"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        int committed = 0;
        StringBuilder log = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                log.append(line).append('\n');
                if (line.contains("Committed share") && ++committed == 3) {
                    process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                    break;
                }
            }
        }
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(committed).as("the child's log:%n%s", log).isEqualTo(3);
        assertThat(process.exitValue()).as("killed, not finished").isNotZero();

        Cli.Run rerun = Cli.ok("migrate", "--from", "parquet-duckdb:" + scanned, "--to", table, "--share-points",
                "200000", "--verify", "--json");
        assertThat(rerun.out()).contains("\"mismatches\" : 0");
        assertThat(Integer.parseInt(rerun.out().replaceAll("(?s).*\"shares_skipped\" : (\\d+).*", "$1")))
                .isGreaterThanOrEqualTo(3);
        try (Store store = PocaDuck.openExisting(StorageConfig.builder("tabular").location(file.toString()).build());
                Query query = store.query(); LabelSummaries summaries = query.labelSummaries()) {
            assertThat(LabelStats.read(STATS).differences(summaries, false)).isEmpty();
        }
        // The table itself: every stored row once, and exactly the volume's points.
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
                Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT count(*) FROM (SELECT label, block_id, chunk, worker_id, generation"
                    + " FROM pocaduck.points GROUP BY ALL HAVING count(*) > 1)")).isZero();
            assertThat(single(statement, "SELECT count(*) FROM (SELECT label, block_id, chunk FROM pocaduck.points"
                    + " GROUP BY ALL HAVING count(*) > 1)")).isZero();
            assertThat(single(statement, "SELECT sum(point_count) FROM pocaduck.points"))
                    .isEqualTo(scannedPoints());
        }
    }

    private static long scannedPoints() {
        try (Store store = PocaDuck.openExisting(Cli.config(scanned)); Query query = store.query()) {
            return query.stats().points();
        }
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
