package org.pocaduck.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pocaduck.Labels;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * The tables of the performance page's "backends" section, from the results of
 * {@link QueryBenchmark}, {@link BaselineBenchmark} and {@link IngestBenchmark}: per volume, each
 * operation's mean time (or ingest points/s) by storage type beside the two baselines, then each
 * backend's read times as ratios to the baselines. Immutable once built.
 */
final class BenchReport {
    private static final List<String> STORAGES = List.of(BenchData.MEMORY, BenchData.PARQUET_DUCKDB,
            BenchData.TABULAR, BenchData.TABULAR_ARRAY, BenchData.TABULAR_TRINO);
    private static final String READ_PARQUET = "read_parquet";
    private static final String COPY = "copy";

    /**
     * One row of the tables.
     *
     * @param operation the benchmark method
     * @param title the row's title
     * @param baseline the suffix of the baseline methods measuring the same labels, or null
     * @param ingest true for points/s, false for ms per call
     */
    private record Row(String operation, String title, String baseline, boolean ingest) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("ingestOneWorker", "ingest, 1 worker thread (M points/s)", null, true),
            new Row("ingestTwoWorkers", "ingest, 2 worker threads (M points/s)", null, true),
            new Row("writeOneWorker", "write and commit, 1 worker thread, no consolidation (M points/s)", null, true),
            new Row("pointsSmall", "points(label), small label (ms)", "Small", false),
            new Row("pointsMedian", "points(label), median label (ms)", "Median", false),
            new Row("pointsLargest", "points(label), largest label (ms)", "Largest", false),
            new Row("pointsMix", "points(label), random mix, mean (ms)", "Mix", false),
            new Row("streamLargest", "streamPoints(largest, 64Ki-point chunks) (ms)", "Largest", false),
            new Row("pointCount", "pointCount(label), random mix (ms)", null, false),
            new Row("blocks", "blocks(label), random mix (ms)", null, false),
            new Row("labels", "labels(), all (ms)", null, false));

    /** volume -> column (storage or baseline) -> operation -> score */
    private final Map<String, Map<String, Map<String, Double>>> scores = new TreeMap<>();

    /** @param results JMH results; those of other benchmarks are ignored */
    BenchReport(List<JmhResults.Result> results) {
        for (JmhResults.Result result : results) {
            if (result.mode().equals("sample")) {
                continue;
            }
            String column;
            String operation = result.method();
            switch (result.benchmarkClass()) {
                case "BaselineBenchmark" -> {
                    column = operation.startsWith("readParquet") ? READ_PARQUET : COPY;
                    operation = operation.replaceFirst("^(readParquet|copy)", "");
                }
                case "QueryBenchmark", "IngestBenchmark" -> column = result.param("storage");
                default -> {
                    continue;
                }
            }
            scores.computeIfAbsent(result.param("volume"), v -> new TreeMap<>())
                    .computeIfAbsent(column, c -> new TreeMap<>()).put(operation, result.score());
        }
    }

    /** @return the tables, one subsection per volume; empty if no result was for these benchmarks */
    String markdown() {
        StringBuilder md = new StringBuilder();
        scores.forEach((volume, byColumn) -> volumeTables(md, volume, byColumn));
        return md.toString();
    }

    private static void volumeTables(StringBuilder md, String volume, Map<String, Map<String, Double>> byColumn) {
        List<String> storages = new ArrayList<>();
        for (String storage : STORAGES) {
            if (byColumn.containsKey(storage)) {
                storages.add(storage);
            }
        }
        md.append("### ").append(volume).append(switch (volume) {
            case "gt_bodies" -> " (few large labels)";
            case "gt_supervoxels" -> " (many small labels)";
            default -> "";
        }).append("\n\n").append(labelLine(volume)).append("\n\n");
        List<String> header = new ArrayList<>(List.of("operation"));
        header.addAll(storages);
        header.addAll(List.of("DuckDB read_parquet", "in-memory copy"));
        Markdown times = new Markdown(header);
        Map<String, Double> rp = byColumn.getOrDefault(READ_PARQUET, Map.of());
        Map<String, Double> copy = byColumn.getOrDefault(COPY, Map.of());
        for (Row row : ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.title()));
            boolean any = false;
            for (String storage : storages) {
                Double score = byColumn.get(storage).get(row.operation());
                any |= score != null;
                cells.add(score == null ? "" : Markdown.format(row.ingest() ? score / 1e6 : score));
            }
            cells.add(row.baseline() == null ? "" : cell(rp.get(row.baseline())));
            cells.add(row.baseline() == null ? "" : cell(copy.get(row.baseline())));
            if (any) {
                times.row(cells);
            }
        }
        md.append(times).append('\n');
        header = new ArrayList<>(List.of("operation"));
        header.addAll(storages);
        Markdown ratios = new Markdown(header);
        for (Row row : ROWS) {
            String baseline = row.baseline();
            if (baseline == null || !rp.containsKey(baseline) || !copy.containsKey(baseline)) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(row.title().replace(" (ms)", "")));
            boolean any = false;
            for (String storage : storages) {
                Double score = byColumn.get(storage).get(row.operation());
                any |= score != null;
                cells.add(score == null ? "" : versus(rp.get(baseline) / score) + " / "
                        + Markdown.format(score / copy.get(baseline)) + "x");
            }
            if (any) {
                ratios.row(cells);
            }
        }
        if (!ratios.isEmpty()) {
            md.append("Each backend's read time against the baselines: faster or slower than DuckDB read_parquet over "
                    + "the same Parquet files / how many times the in-memory copy's time (the raw-read limit).\n\n");
            md.append(ratios).append('\n');
        }
    }

    private static String labelLine(String volume) {
        BenchData.Labels labels = BenchData.labels(volume);
        LabelStats stats = LabelStats.read(SharedData.resolve("neuroproof_ts2/" + volume + ".label_stats.csv"));
        long mixPoints = 0;
        for (long label : labels.mix()) {
            mixPoints += stats.byLabel().get(label).voxelCount();
        }
        return String.format(Locale.ROOT, "%d labels; small label %s (%,d points), median %s (%,d), largest %s"
                        + " (%,d); random mix of %d labels (seed %d), %,d points on average.",
                labels.all().length, Labels.format(labels.small()), stats.byLabel().get(labels.small()).voxelCount(),
                Labels.format(labels.median()), stats.byLabel().get(labels.median()).voxelCount(),
                Labels.format(labels.largest()), stats.byLabel().get(labels.largest()).voxelCount(),
                labels.mix().length, BenchData.SEED, mixPoints / labels.mix().length);
    }

    /** A speed ratio (baseline time / backend time) as "N x faster" or "N x slower". */
    static String versus(double ratio) {
        return ratio >= 1 ? Markdown.format(ratio) + "x faster" : Markdown.format(1 / ratio) + "x slower";
    }

    private static String cell(Double score) {
        return score == null ? "" : Markdown.format(score);
    }
}
