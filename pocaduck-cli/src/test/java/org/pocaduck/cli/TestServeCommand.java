package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * {@code pocaduck serve} as a user runs it: a child JVM serving two stores, answering over HTTP,
 * printing its URLs, and stopping cleanly with exit code 0 on SIGTERM.
 */
class TestServeCommand {
    private static final Path VOLUME = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");
    private static final LabelStats STATS =
            LabelStats.read(SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.label_stats.csv"));
    private static final Pattern URL = Pattern.compile("store\\(s\\) on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    static Path dir;

    private static String first;
    private static String second;

    @BeforeAll
    static void scan() {
        first = dir.resolve("fib19").toString();
        second = dir.resolve("other").toString();
        Cli.ok("scan", VOLUME.toString(), "--location", first, "--block-size", "32", "--quiet");
        Cli.ok("scan", VOLUME.toString(), "--location", second, "--quiet");
    }

    @Test
    void servesTwoStoresPrintsTheirUrlsAndStopsWithExitCode0OnSigterm() throws Exception {
        Process server = new ProcessBuilder(Cli.childJvm(List.of("serve", "--location", first, "--store",
                "copy=parquet-duckdb:" + second, "--port", "0"))).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String base = null;
            for (String line; base == null && (line = out.readLine()) != null; ) {
                lines.add(line);
                Matcher m = URL.matcher(line);
                if (m.find()) {
                    base = m.group(1);
                }
            }
            assertThat(base).as(String.join("\n", lines)).isNotNull();
            for (int i = 0; i < 6; i++) {
                lines.add(out.readLine());
            }
            assertThat(lines).contains("  fib19 (parquet-duckdb:" + first + ")", "    " + base + "/api/fib19/info",
                    "  copy (parquet-duckdb:" + second + ")", "    " + base + "/api/copy/info");
            HttpClient client = HttpClient.newHttpClient();
            long label = STATS.byLabel().keySet().iterator().next();
            for (String store : List.of("fib19", "copy")) {
                HttpResponse<String> size = client.send(HttpRequest.newBuilder(URI.create(base + "/api/" + store
                        + "/size/" + label)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(size.body()).isEqualTo("{\"voxels\":" + STATS.byLabel().get(label).voxelCount() + "}");
            }
            // SIGTERM as a service manager sends it (Process.destroy would close our end of its output).
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start().waitFor()).isZero();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            assertThat(server.exitValue()).as(String.join("\n", lines)).isZero();
            assertThat(lines).contains("pocaduck serve: stopped");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void badUsageFailsNamingTheProblem() throws IOException {
        Cli.Run none = Cli.run("serve");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("Cannot serve: give a store with --location (or --config), or --store");
        Cli.Run twice = Cli.run("serve", "--location", first, "--store", "parquet-duckdb:" + first, "--port", "0");
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("Cannot serve two stores named 'fib19'");
        Cli.Run port = Cli.run("serve", "--location", first, "--port", "70000");
        assertThat(port.exitCode()).isEqualTo(1);
        assertThat(port.err()).contains("Cannot serve on port 70000");
        Cli.Run missing = Cli.run("serve", "--location", dir.resolve("nowhere").toString(), "--port", "0");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("pocaduck: Cannot");
        assertThat(ServeCommand.nameOf("/data/stores/gt bodies/")).isEqualTo("gt_bodies");
        assertThat(ServeCommand.nameOf("s3://bucket/prefix")).isEqualTo("prefix");
        assertThat(ServeCommand.nameOf("/")).isEqualTo("store");
    }
}
