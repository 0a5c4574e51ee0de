package org.pocaduck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The performance page's tables of the sections measured by running commands ({@link Runs}) and
 * {@code pocaduck compare} reports. Each method takes the section's input directory, as
 * scripts/bench fills it. Stateless.
 */
final class RunSections {
    private RunSections() {
    }

    /** Readable names of the variants scripts/bench and the harness scripts run. */
    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("parquet-duckdb", "`parquet-duckdb` (the default)"),
            Map.entry("parquet-duckdb-no-aot", "`parquet-duckdb`, `POCADUCK_AOT=off`"),
            Map.entry("memory", "`memory` (`--max-memory 2GiB`)"),
            Map.entry("other", "`parquet-duckdb`, the other checkout given"),
            Map.entry("local", "local directory"),
            Map.entry("s3", "`s3://` on the local S3 server (s3proxy, 127.0.0.1)"),
            Map.entry("spark-local", "`scripts/spark-scan-local` (job jar, `--master local[2]`)"),
            Map.entry("scan", "`scripts/pocaduck scan --workers 2`"),
            Map.entry("scan-no-aot", "`scripts/pocaduck scan --workers 2`, `POCADUCK_AOT=off`"),
            Map.entry("gt_bodies-to-tabular", "gt_bodies: parquet-duckdb -> tabular (DuckDB file)"),
            Map.entry("gt_supervoxels-to-tabular", "gt_supervoxels: parquet-duckdb -> tabular (DuckDB file)"),
            Map.entry("python-to-parquet-duckdb",
                    "`pocaduck_python_store/unoptimized`: pocaduck-python -> parquet-duckdb"),
            Map.entry("verify-gt_supervoxels", "`verify` gt_supervoxels: parquet-duckdb against tabular"),
            Map.entry("scan-gt_bodies-trino", "`scan` gt_bodies into tabular on Trino + Iceberg"),
            Map.entry("gt_supervoxels-to-trino", "`migrate` gt_supervoxels: parquet-duckdb -> tabular on Trino + Iceberg"),
            Map.entry("verify-gt_supervoxels-trino",
                    "`verify` gt_supervoxels: parquet-duckdb against tabular on Trino + Iceberg"),
            Map.entry("store", "the store of many labels"),
            Map.entry("many-labels-scan", "the volume of many labels, default `--max-memory` (1GiB)"),
            Map.entry("consolidate", "`pocaduck consolidate`, default `--max-memory` (1GiB)"),
            Map.entry("labels-counts", "`pocaduck labels --counts`: every label's summary, streamed"),
            Map.entry("count-rebuild", "`pocaduck count LABEL` with the label directory deleted first: rebuilt at open"),
            Map.entry("gt_bodies-store", "gt_bodies (the main job's store)"));

    private static String title(String variant) {
        return TITLES.getOrDefault(variant, variant);
    }

    /**
     * Scans timed round by round (main-job, spark): per variant the summary's figures, the scan's
     * time in the JVM, the whole command and its CPU time and peak memory.
     */
    static String scans(Path directory) {
        Map<String, List<Runs.Run>> runs = Runs.read(directory.resolve("runs"));
        Markdown table = new Markdown("what", "runs", "labels", "points", "label-block pairs",
                "scan in the JVM (s)", "M points/s (median)", "whole command (s)", "CPU user + sys (s, median)",
                "peak RSS (median)", "load average");
        runs.forEach((variant, list) -> {
            Runs.Run first = list.get(0);
            table.row(title(variant), String.valueOf(list.size()), integer(first.number("labels")),
                    integer(first.number("points")), integer(first.number("label_block_pairs")),
                    Markdown.spread(Runs.values(list, r -> r.number("seconds"))),
                    median(list, r -> r.number("points_per_second") / 1e6),
                    Markdown.spread(Runs.values(list, Runs.Run::wallSeconds)),
                    median(list, r -> r.userSeconds() + r.systemSeconds()),
                    Runs.median(list, r -> r.maxRssBytes()).stream().mapToObj(Markdown::mebibytes).findFirst()
                            .orElse(""),
                    Markdown.spread(Runs.values(list, Runs.Run::load)));
        });
        return table.isEmpty() ? "" : table + "\n";
    }

    /** One scan per volume format: the volume, its format, the scan's time and the whole command's. */
    static String formats(Path directory) {
        Map<String, List<Runs.Run>> runs = Runs.read(directory.resolve("runs"));
        Markdown table = new Markdown("volume", "points", "scan in the JVM (s)", "M points/s", "whole command (s)",
                "peak RSS");
        runs.forEach((variant, list) -> table.row("`" + variant + "`", integer(list.get(0).number("points")),
                Markdown.spread(Runs.values(list, r -> r.number("seconds"))),
                median(list, r -> r.number("points_per_second") / 1e6),
                Markdown.spread(Runs.values(list, Runs.Run::wallSeconds)),
                Runs.median(list, r -> r.maxRssBytes()).stream().mapToObj(Markdown::mebibytes).findFirst()
                        .orElse("")));
        return table.isEmpty() ? "" : table + "\n";
    }

    /**
     * The {@code compare} reports in the directory's subdirectories ({@code <name>/compare.json}),
     * in the order they were written, one table row per store, and their charts, copied as
     * {@code performance-<section>-<name>.png}.
     */
    static PerformancePage.Body compares(Path directory, String section) {
        Markdown table = new Markdown("workload", "store", "queries", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms",
                "points/s", "read requests / query", "bytes read / query", "open ms");
        Map<String, Path> figures = new LinkedHashMap<>();
        StringBuilder charts = new StringBuilder();
        for (Path report : compareReports(directory)) {
            String name = report.getParent().getFileName().toString();
            JsonNode doc = json(report);
            String workload = "`" + name + "`: " + doc.path("operation").asText() + ", " + doc.path("labels").asText()
                    + " labels";
            compareRows(table, workload, doc);
            Path png = report.resolveSibling("compare.png");
            if (Files.exists(png)) {
                String figure = "performance-" + section + "-" + name + ".png";
                figures.put(figure, png);
                charts.append("- [").append(name).append("](figures/").append(figure).append(")\n");
            }
        }
        if (table.isEmpty()) {
            return new PerformancePage.Body("", Map.of());
        }
        String md = table + "\n" + (charts.isEmpty() ? ""
                : "Latency by percentile (`compare.png`, latency on a log scale):\n\n" + charts + "\n");
        return new PerformancePage.Body(md, figures);
    }

    private static void compareRows(Markdown table, String workload, JsonNode doc) {
        // count and blocks return no points: their points/s says nothing.
        boolean points = !List.of("count", "blocks").contains(doc.path("operation").asText());
        for (JsonNode store : doc.path("stores")) {
            double queries = store.path("queries").asDouble();
            table.row(workload, store.path("store").asText(), integer(queries),
                    Markdown.format(store.path("p50_ms").asDouble()), Markdown.format(store.path("p90_ms").asDouble()),
                    Markdown.format(store.path("p99_ms").asDouble()), Markdown.format(store.path("max_ms").asDouble()),
                    Markdown.format(store.path("mean_ms").asDouble()),
                    points ? integer(store.path("points_per_second").asDouble()) : "",
                    Markdown.format(store.path("read_requests").asDouble() / queries),
                    integer(store.path("bytes_read").asDouble() / queries),
                    Markdown.format(store.path("open_ms").asDouble()));
        }
    }

    /** The same volume scanned into a local directory and into {@code s3://}, then compared. */
    static PerformancePage.Body s3(Path directory) {
        String scans = scans(directory);
        PerformancePage.Body compare = compares(directory, "s3");
        return new PerformancePage.Body(scans + compare.markdown(), compare.figures());
    }

    /**
     * Scans of one large volume with several budgets ({@code scripts/scale-bench}): per budget the
     * scan, its memory over the budget, and {@code points(label)} on the result.
     */
    static String scale(Path directory) {
        Map<String, List<Runs.Run>> runs = Runs.read(directory.resolve("runs"));
        Markdown table = new Markdown("--max-memory", "labels", "points", "scan in the JVM (s)", "whole command (s)",
                "M points/s", "CPU user + sys (s)", "peak RSS", "RSS over the budget", "points(label) p50 ms",
                "p99 ms");
        runs.forEach((budget, list) -> {
            Runs.Run run = list.get(0);
            JsonNode compare = firstStore(directory.resolve("compare-" + budget + "/compare.json"));
            table.row(budget, integer(run.number("labels")), integer(run.number("points")),
                    Markdown.format(run.number("seconds")), Markdown.format(run.wallSeconds()),
                    Markdown.format(run.number("points_per_second") / 1e6),
                    Markdown.format(run.userSeconds()) + " + " + Markdown.format(run.systemSeconds()),
                    Markdown.mebibytes(run.maxRssBytes()),
                    Markdown.mebibytes(run.maxRssBytes() - run.number("max_memory_bytes")),
                    compare == null ? "" : Markdown.format(compare.path("p50_ms").asDouble()),
                    compare == null ? "" : Markdown.format(compare.path("p99_ms").asDouble()));
        });
        String floor = match(directory.resolve("stdout.txt"), "reading it once \\(cat > /dev/null\\): ([0-9.]+) s");
        return table.isEmpty() ? "" : table + "\n" + (floor.isEmpty() ? ""
                : "Reading the volume once (`cat > /dev/null`, from the page cache): " + floor + " s.\n\n");
    }

    private static final Pattern COUNT = Pattern.compile(
            "(?m)^(\\S+) count (\\d+): wall ([0-9.]+) s, peak RSS (\\d+) KB$");

    /**
     * A store of many labels ({@code scripts/many-labels-bench}): its scan, then opening it and a
     * query against the same on gt_bodies.
     */
    static String manyLabels(Path directory) {
        Map<String, List<Runs.Run>> runs = Runs.read(directory.resolve("runs"));
        StringBuilder md = new StringBuilder();
        Markdown scan = new Markdown("scan", "labels", "points", "label-block pairs", "scan in the JVM (s)",
                "M points/s", "peak RSS", "RSS over the budget");
        Markdown commands = new Markdown("command on the store of many labels", "whole command (s)", "peak RSS");
        runs.forEach((variant, list) -> {
            Runs.Run run = list.get(0);
            if (run.summary().path("max_memory_bytes").isNumber()) {
                scan.row(title(variant), integer(run.number("labels")), integer(run.number("points")),
                        integer(run.number("label_block_pairs")), Markdown.format(run.number("seconds")),
                        Markdown.format(run.number("points_per_second") / 1e6), Markdown.mebibytes(run.maxRssBytes()),
                        Markdown.mebibytes(run.maxRssBytes() - run.number("max_memory_bytes")));
            } else {
                commands.row(title(variant), Markdown.format(run.wallSeconds()), Markdown.mebibytes(run.maxRssBytes()));
            }
        });
        if (!scan.isEmpty()) {
            md.append(scan).append('\n');
        }
        if (!commands.isEmpty()) {
            md.append(commands).append('\n');
        }
        Map<String, List<double[]>> counts = new LinkedHashMap<>();
        String stdout = read(directory.resolve("stdout.txt"));
        Matcher m = COUNT.matcher(stdout);
        while (m.find()) {
            counts.computeIfAbsent(m.group(1), s -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)) * 1024});
        }
        Markdown open = new Markdown("store", "open store and query (ms)", "points(label) p50 ms", "p99 ms",
                "`pocaduck count`, whole command (s, median)", "its peak RSS (median)");
        for (Path report : compareReports(directory)) {
            String store = report.getParent().getFileName().toString().replaceFirst("^compare-", "");
            JsonNode first = json(report).path("stores").path(0);
            List<double[]> c = counts.getOrDefault(store, List.of());
            open.row(title(store), Markdown.format(first.path("open_ms").asDouble()),
                    Markdown.format(first.path("p50_ms").asDouble()), Markdown.format(first.path("p99_ms").asDouble()),
                    c.isEmpty() ? "" : Markdown.format(Markdown.median(c.stream().map(v -> v[0]).toList())),
                    c.isEmpty() ? "" : Markdown.mebibytes(Markdown.median(c.stream().map(v -> v[1]).toList())));
        }
        if (!open.isEmpty()) {
            md.append(open).append('\n');
        }
        return md.toString();
    }

    /** Migrations and verifications timed one by one: labels, points, time, rate, peak RSS. */
    static String migrations(Path directory) {
        Map<String, List<Runs.Run>> runs = Runs.read(directory.resolve("runs"));
        Markdown table = new Markdown("run", "runs", "labels", "points", "seconds (median)", "points/s",
                "mismatches", "peak RSS (largest)");
        runs.forEach((variant, list) -> {
            Runs.Run run = list.get(0);
            double mismatches = list.stream().mapToDouble(RunSections::mismatches).max().orElse(Double.NaN);
            double seconds = Runs.median(list, r -> r.number("seconds")).orElse(Double.NaN);
            table.row(title(variant), integer(list.size()), integer(run.number("labels")),
                    integer(run.number("points")), Markdown.format(seconds), integer(run.number("points") / seconds),
                    Double.isNaN(mismatches) ? "" : integer(mismatches),
                    Markdown.mebibytes(list.stream().mapToLong(Runs.Run::maxRssBytes).max().orElse(0)));
        });
        return table.isEmpty() ? "" : table + "\n";
    }

    private static double mismatches(Runs.Run run) {
        JsonNode verification = run.summary().path("verification");
        return verification.isMissingNode() ? run.number("mismatches") : verification.path("mismatches").asDouble();
    }

    /**
     * Tabular on Trino ({@code tabular-trino}): the scan, migration and verification as
     * {@link #migrations}, then the label reads {@code TabularLookups} wrote against Trino's own
     * {@code SELECT 1}.
     */
    static String tabularTrino(Path directory) {
        String runs = migrations(directory);
        Path file = directory.resolve("lookups.json");
        if (!Files.exists(file)) {
            return runs;
        }
        JsonNode doc = json(file);
        double floor = doc.path("select1").path("p50_ms").asDouble();
        Markdown table = new Markdown("read", "calls timed", "labels per call", "points per call", "p50 ms", "p99 ms", "ms per label",
                "p50 / `SELECT 1` p50");
        table.row("`SELECT 1` (JDBC, the same server)", integer(doc.path("select1").path("count").asDouble()), "",
                "", Markdown.format(floor), Markdown.format(doc.path("select1").path("p99_ms").asDouble()), "", "1");
        JsonNode lookup = doc.path("lookup");
        table.row("`points(label)`, random labels", integer(lookup.path("count").asDouble()),
                "1", integer(lookup.path("points").asDouble() / lookup.path("count").asDouble()) + " (mean)",
                Markdown.format(lookup.path("p50_ms").asDouble()), Markdown.format(lookup.path("p99_ms").asDouble()),
                Markdown.format(lookup.path("p50_ms").asDouble()),
                Markdown.format(lookup.path("p50_ms").asDouble() / floor));
        for (String name : List.of("batch_listed", "batch_range")) {
            JsonNode batch = doc.path(name);
            table.row(name.equals("batch_listed") ? "`streamLabels`, 1,000 random labels (a list)"
                            : "`streamLabels`, 1,000 consecutive labels (a range)",
                    integer(batch.path("count").asDouble()),
                    integer(batch.path("labels").asDouble()), integer(batch.path("points").asDouble()),
                    Markdown.format(batch.path("p50_ms").asDouble()), Markdown.format(batch.path("p99_ms").asDouble()),
                    Markdown.format(batch.path("ms_per_label").asDouble()),
                    Markdown.format(batch.path("p50_ms").asDouble() / floor));
        }
        return runs + "Label reads of the migrated gt_supervoxels store (" + integer(doc.path("labels").asDouble())
                + " labels):\n\n" + table + "\n";
    }

    private static List<Path> compareReports(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(directory)) {
            return dirs.map(d -> d.resolve("compare.json")).filter(Files::exists)
                    .sorted(java.util.Comparator.comparing(Runs::modified).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    private static JsonNode firstStore(Path compareJson) {
        if (!Files.exists(compareJson)) {
            return null;
        }
        return json(compareJson).path("stores").path(0);
    }

    private static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static String match(Path file, String regex) {
        Matcher m = Pattern.compile(regex).matcher(read(file));
        return m.find() ? m.group(1) : "";
    }

    private static String integer(double value) {
        return Double.isNaN(value) ? "" : Markdown.count(Math.round(value));
    }

    private static String median(List<Runs.Run> runs, java.util.function.ToDoubleFunction<Runs.Run> measure) {
        OptionalDouble median = Runs.median(runs, measure);
        return median.isPresent() ? Markdown.format(median.getAsDouble()) : "";
    }
}
