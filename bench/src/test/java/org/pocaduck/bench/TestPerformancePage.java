package org.pocaduck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The performance page's writer: sections rendered from what the benchmarks leave, each with its
 * stamp, and a section refreshed alone leaving the others as they were.
 */
class TestPerformancePage {
    @TempDir
    Path dir;

    private static final PerformancePage.Stamp STAMP = new PerformancePage.Stamp("abc1234", false, "2030-01-02",
            "25.0.1", 2, "Test CPU", 24L << 30, "0.50", "scripts/bench --only main-job", 12, false);

    @Test
    void aSectionIsWrittenWithItsStampAndTheOthersArePlaceholders() throws IOException {
        Path input = dir.resolve("main-job");
        run(input, "parquet-duckdb", 1, 1.25, 2.0, 1_000L << 20);
        run(input, "parquet-duckdb", 2, 1.35, 2.2, 1_100L << 20);
        run(input, "memory", 1, 0.5, 1.0, 2_000L << 20);
        Path page = dir.resolve("docs/performance.md");

        PerformancePage.write(page, PerformancePage.Section.MAIN_JOB, input, STAMP);

        String md = Files.readString(page);
        assertThat(md).startsWith("# Performance\n")
                .contains("> Measured by `scripts/bench --only main-job` at commit `abc1234` on 2030-01-02 (UTC),"
                        + " in 12 s: JDK 25.0.1, 2 CPUs (Test CPU), 24.0 GiB of memory, load average 0.50 at the start.")
                .contains("| `parquet-duckdb` (the default) | 2 | 525 | 15,624,750 | 1,349 | 1.25 - 1.35 (median 1.30) |")
                .contains("| `memory` (`--max-memory 2GiB`) | 1 |")
                .contains("Not measured yet: `scripts/bench --only backends`.")
                .doesNotContain("Quick run");
        assertThat(md.indexOf("## The main job")).isGreaterThan(md.indexOf("## Volume formats: read throughput"));
    }

    @Test
    void refreshingOneSectionKeepsTheOthersWithTheirStamps() throws IOException {
        Path mainJob = dir.resolve("main-job");
        run(mainJob, "parquet-duckdb", 1, 1.25, 2.0, 1_000L << 20);
        Path page = dir.resolve("performance.md");
        PerformancePage.write(page, PerformancePage.Section.MAIN_JOB, mainJob, STAMP);
        String before = Files.readString(page);
        String mainBlock = before.substring(before.indexOf("<!-- bench:section main-job -->"),
                before.indexOf("<!-- bench:end main-job -->"));

        Path volumes = Files.createDirectories(dir.resolve("volumes"));
        Files.writeString(volumes.resolve("jmh-volumes.json"), """
                [{"benchmark": "org.pocaduck.bench.VolumeReadBenchmark.readWholeVolume", "mode": "thrpt",
                  "params": {"format": "zarr-v3", "read": "box"},
                  "primaryMetric": {"score": 1.5E8, "scoreUnit": "ops/s", "rawData": [[1.5E8]]}},
                 {"benchmark": "org.pocaduck.bench.VolumeReadBenchmark.readWholeVolume", "mode": "thrpt",
                  "params": {"format": "zarr-v3", "read": "slab"},
                  "primaryMetric": {"score": 2.0E8, "scoreUnit": "ops/s", "rawData": [[2.0E8]]}}]
                """);
        PerformancePage.Stamp quick = new PerformancePage.Stamp("def5678", true, "2030-02-03", "25.0.1", 2, "Test CPU",
                24L << 30, "1.00", "scripts/bench --only volumes --quick", 30, true);
        PerformancePage.write(page, PerformancePage.Section.VOLUMES, volumes, quick);

        String after = Files.readString(page);
        assertThat(after).contains(mainBlock)
                .contains("at commit `def5678` with uncommitted changes on 2030-02-03")
                .contains("**Quick run**")
                .contains("| `zarr` v3 gt_supervoxels (uint64, zstd) | 150 | 200 |");
        assertThat(after.split("<!-- bench:section main-job -->", -1)).hasSize(2);
    }

    @Test
    void aSectionWithoutResultsIsRefusedAndThePageLeftAsItWas() throws IOException {
        Path page = dir.resolve("performance.md");
        PerformancePage.write(page, null, null, null);
        String before = Files.readString(page);

        assertThatThrownBy(() -> PerformancePage.write(page, PerformancePage.Section.SCALE,
                Files.createDirectories(dir.resolve("empty")), STAMP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot write section 'scale': " + dir.resolve("empty") + " holds no results of its benchmark");
        assertThat(Files.readString(page)).isEqualTo(before);
    }

    @Test
    void scaleShowsTheMemoryOverTheBudgetAndTheLatencyOfTheResult() throws IOException {
        Path input = dir.resolve("scale");
        run(input, "512MiB", 1, 63.3, 64.6, 763L << 20);
        Files.writeString(input.resolve("stdout.txt"), "Volume: v (1000^3 voxels); reading it once (cat > /dev/null): 0.58 s\n");
        compare(input.resolve("compare-512MiB"), 1.16, 16.4);

        String md = RunSections.scale(input);

        assertThat(md).contains("| 512MiB | 525 | 15,624,750 | 63.3 | 64.6 |")
                .contains("| 763 MiB | 251 MiB | 1.16 | 16.4 |")
                .contains("Reading the volume once (`cat > /dev/null`, from the page cache): 0.58 s.");
    }

    @Test
    void manyLabelsShowsTheScanAndOpeningEachStore() throws IOException {
        Path input = dir.resolve("many-labels");
        run(input, "many-labels-scan", 1, 123.9, 125.0, 1_198L << 20);
        compare(input.resolve("compare-store"), 0.242, 3.2);
        Files.writeString(input.resolve("runs/consolidate.1.time"), """
                \tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50
                \tMaximum resident set size (kbytes): 466944
                """);
        compare(input.resolve("compare-gt_bodies-store"), 0.1, 1.0);
        Files.writeString(input.resolve("stdout.txt"), """
                gt_bodies-store count 18553: wall 1.10 s, peak RSS 151552 KB
                gt_bodies-store count 18553: wall 1.00 s, peak RSS 151552 KB
                store count 77: wall 1.20 s, peak RSS 153600 KB
                """);

        String md = RunSections.manyLabels(input);

        assertThat(md).contains("| the volume of many labels, default `--max-memory` (1GiB) | 525 | 15,624,750 | 1,349 | 124 |")
                .contains("| 1,198 MiB | 686 MiB |")
                .contains("| the store of many labels | 30.9 | 0.242 | 3.20 | 1.20 | 150 MiB |")
                .contains("| gt_bodies (the main job's store) | 30.9 | 0.100 | 1 | 1.05 | 148 MiB |")
                .contains("| `pocaduck consolidate`, default `--max-memory` (1GiB) | 62.5 | 456 MiB |");
    }

    @Test
    void tabularTrinoShowsEachLabelReadAgainstSelectOne() throws IOException {
        Path input = dir.resolve("tabular-trino");
        // Three rounds: the table gives the median seconds and the largest peak RSS.
        run(input, "gt_supervoxels-to-trino", 1, 5.0, 7.5, 512L << 20);
        run(input, "gt_supervoxels-to-trino", 2, 9.0, 11.5, 600L << 20);
        run(input, "gt_supervoxels-to-trino", 3, 6.0, 8.5, 500L << 20);
        Files.writeString(input.resolve("lookups.json"), """
                {"select1" : {"count" : 100, "p50_ms" : 40.0, "p99_ms" : 90.0, "min_ms" : 30.0},
                 "labels" : 21316,
                 "lookup" : {"count" : 200, "p50_ms" : 60.0, "p99_ms" : 150.0, "min_ms" : 45.0, "points" : 146000},
                 "batch_listed" : {"count" : 5, "p50_ms" : 500.0, "p99_ms" : 600.0, "min_ms" : 450.0, "labels" : 995,
                   "points" : 730000, "ms_per_label" : 0.5025},
                 "batch_range" : {"count" : 5, "p50_ms" : 300.0, "p99_ms" : 350.0, "min_ms" : 280.0, "labels" : 1000,
                   "points" : 720000, "ms_per_label" : 0.3}}
                """);

        String md = RunSections.tabularTrino(input);

        assertThat(md).contains("| `migrate` gt_supervoxels: parquet-duckdb -> tabular on Trino + Iceberg | 3 | 525 | "
                        + "15,624,750 | 6 | 2,604,125 |  | 600 MiB |")
                .contains("Label reads of the migrated gt_supervoxels store (21,316 labels):")
                .contains("| `SELECT 1` (JDBC, the same server) | 100 |  |  | 40 | 90 |  | 1 |")
                .contains("| `points(label)`, random labels | 200 | 1 | 730 (mean) | 60 | 150 | 60 | 1.5 |")
                .contains("| `streamLabels`, 1,000 random labels (a list) | 5 | 995 | 730,000 | 500 | 600 | 0.502 | 12.5 |")
                .contains("| `streamLabels`, 1,000 consecutive labels (a range) | 5 | 1,000 | 720,000 | 300 | 350 | 0.300 | 7.5 |");
    }

    @Test
    void compareReportsBecomeRowsAndTheirChartsAreCopiedBesideThePage() throws IOException {
        Path input = dir.resolve("compare");
        compare(input.resolve("gt_bodies-points"), 0.058, 3.66);
        Files.writeString(input.resolve("gt_bodies-points/compare.png"), "png");
        Path page = dir.resolve("docs/performance.md");

        PerformancePage.write(page, PerformancePage.Section.COMPARE, input, STAMP);

        assertThat(Files.readString(page))
                .contains("| `gt_bodies-points`: points, 525 labels | parquet-duckdb | 1,000 | 0.0580 | 0.200 | 3.66 |")
                .contains("- [gt_bodies-points](figures/performance-compare-gt_bodies-points.png)");
        assertThat(dir.resolve("docs/figures/performance-compare-gt_bodies-points.png")).hasContent("png");
    }

    /** A run as the bench scripts leave it: the command's JSON summary and time -v's report. */
    private static void run(Path dir, String variant, int round, double seconds, double wall, long rssBytes)
            throws IOException {
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("runs/" + variant + "." + round + ".json"), """
                {"labels" : 525, "label_block_pairs" : 1349, "points" : 15624750, "seconds" : %s,
                 "points_per_second" : %d, "max_memory_bytes" : 536870912}
                """.formatted(seconds, Math.round(15624750 / seconds)));
        int minutes = (int) (wall / 60);
        Files.writeString(dir.resolve("runs/" + variant + "." + round + ".time"), """
                \tCommand being timed: "scripts/pocaduck scan"
                \tUser time (seconds): 2.50
                \tSystem time (seconds): 0.50
                \tElapsed (wall clock) time (h:mm:ss or m:ss): %d:%05.2f
                \tMaximum resident set size (kbytes): %d
                Load average: 1.60
                """.formatted(minutes, wall - minutes * 60, rssBytes / 1024));
    }

    private static void compare(Path dir, double p50, double p99) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("compare.json"), """
                {"operation" : "points", "queries" : 1000, "labels" : "525", "seed" : 1,
                 "stores" : [ {"store" : "parquet-duckdb", "storage_type" : "parquet-duckdb", "queries" : 1000,
                   "p50_ms" : %s, "p90_ms" : 0.2, "p99_ms" : %s, "max_ms" : 13.1, "mean_ms" : 0.21,
                   "points_per_second" : 2926286, "read_requests" : 3672, "bytes_read" : 8552869, "open_ms" : 30.9} ]}
                """.formatted(p50, p99));
    }
}
