package org.pocaduck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.pocaduck.Labels;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * Turns JMH's JSON result file ({@code -rf json}) of the bench module into the README's
 * Markdown tables: per volume, each operation's mean time (or ingest points/s) by storage type
 * beside the two baselines, then each backend's read times as ratios to the baselines.
 *
 * <p>Usage: {@code BenchReport <out.md> <jmh-result.json>...} (results of several JMH runs are
 * merged).
 */
public final class BenchReport {
    private static final List<String> STORAGES = List.of(BenchData.MEMORY, BenchData.PARQUET_DUCKDB,
            BenchData.TABULAR, BenchData.TABULAR_TRINO);
    private static final String READ_PARQUET = "read_parquet";
    private static final String COPY = "copy";
    /** Operation -> (row title, baseline suffix or null). */
    private static final Map<String, String[]> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("ingestOneWorker", new String[] {"ingest, 1 worker thread (M points/s)", null});
        ROWS.put("ingestTwoWorkers", new String[] {"ingest, 2 worker threads (M points/s)", null});
        ROWS.put("pointsSmall", new String[] {"points(label), small label (ms)", "Small"});
        ROWS.put("pointsMedian", new String[] {"points(label), median label (ms)", "Median"});
        ROWS.put("pointsLargest", new String[] {"points(label), largest label (ms)", "Largest"});
        ROWS.put("pointsMix", new String[] {"points(label), random mix, mean (ms)", "Mix"});
        ROWS.put("streamLargest", new String[] {"streamPoints(largest, 64Ki-point chunks) (ms)", "Largest"});
        ROWS.put("pointCount", new String[] {"pointCount(label), random mix (ms)", null});
        ROWS.put("blocks", new String[] {"blocks(label), random mix (ms)", null});
        ROWS.put("labels", new String[] {"labels(), all (ms)", null});
    }

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BenchReport <out.md> <jmh-result.json>...");
            System.exit(2);
        }
        List<Path> inputs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            inputs.add(Path.of(args[i]));
        }
        String markdown = markdown(inputs);
        Files.writeString(Path.of(args[0]), markdown);
        System.out.print(markdown);
    }

    /**
     * @return the Markdown tables for the results in JMH JSON files
     * @throws UncheckedIOException if a file cannot be read
     */
    static String markdown(List<Path> jmhJsonFiles) {
        List<JsonNode> results = new ArrayList<>();
        for (Path file : jmhJsonFiles) {
            try {
                new ObjectMapper().readTree(file.toFile()).forEach(results::add);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read JMH results " + file, e);
            }
        }
        // volume -> column (storage or baseline) -> operation -> score
        Map<String, Map<String, Map<String, Double>>> scores = new TreeMap<>();
        for (JsonNode result : results) {
            String benchmark = result.get("benchmark").asText();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            JsonNode params = result.path("params");
            String volume = params.path("volume").asText();
            double score = normalized(result.get("primaryMetric").get("score").asDouble(),
                    result.get("primaryMetric").get("scoreUnit").asText());
            String column;
            String operation = method;
            if (benchmark.contains("BaselineBenchmark")) {
                column = method.startsWith("readParquet") ? READ_PARQUET : COPY;
                operation = method.replaceFirst("^(readParquet|copy)", "");
            } else {
                column = params.path("storage").asText();
            }
            scores.computeIfAbsent(volume, v -> new TreeMap<>()).computeIfAbsent(column, c -> new TreeMap<>())
                    .put(operation, score);
        }
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
        md.append("#### ").append(volume).append(switch (volume) {
            case "gt_bodies" -> " (few large labels)";
            case "gt_supervoxels" -> " (many small labels)";
            default -> "";
        }).append("\n\n").append(labelLine(volume)).append("\n\n");
        md.append("| operation | ").append(String.join(" | ", storages))
                .append(" | DuckDB read_parquet | in-memory copy |\n|---|");
        md.append("---|".repeat(storages.size() + 2)).append('\n');
        Map<String, Double> rp = byColumn.getOrDefault(READ_PARQUET, Map.of());
        Map<String, Double> copy = byColumn.getOrDefault(COPY, Map.of());
        ROWS.forEach((operation, row) -> {
            StringBuilder line = new StringBuilder("| ").append(row[0]).append(" |");
            boolean any = false;
            for (String storage : storages) {
                Double score = byColumn.get(storage).get(operation);
                any |= score != null;
                line.append(' ').append(score == null ? "" : operation.startsWith("ingest")
                        ? format(score / 1e6) : format(score)).append(" |");
            }
            String baseline = row[1];
            boolean pointsRow = baseline != null;
            line.append(' ').append(pointsRow ? cell(rp.get(baseline)) : "").append(" |");
            line.append(' ').append(pointsRow ? cell(copy.get(baseline)) : "").append(" |");
            if (any) {
                md.append(line).append('\n');
            }
        });
        md.append("\nEach backend's read time against the baselines: faster or slower than DuckDB read_parquet over "
                + "the same Parquet files / how many times the in-memory copy's time (the raw-read limit).\n\n");
        md.append("| operation | ").append(String.join(" | ", storages)).append(" |\n|---|")
                .append("---|".repeat(storages.size())).append('\n');
        ROWS.forEach((operation, row) -> {
            String baseline = row[1];
            if (baseline == null || !rp.containsKey(baseline) || !copy.containsKey(baseline)) {
                return;
            }
            StringBuilder line = new StringBuilder("| ").append(row[0].replace(" (ms)", "")).append(" |");
            boolean any = false;
            for (String storage : storages) {
                Double score = byColumn.get(storage).get(operation);
                any |= score != null;
                line.append(' ').append(score == null ? "" : versus(rp.get(baseline) / score) + " / "
                        + format(score / copy.get(baseline)) + "x").append(" |");
            }
            if (any) {
                md.append(line).append('\n');
            }
        });
        md.append('\n');
    }

    /** A score in ops/s (throughput) or ms/op (time per operation), whatever unit JMH used. */
    static double normalized(double score, String unit) {
        return switch (unit) {
            case "ops/s", "ms/op" -> score;
            case "ops/ms" -> score * 1e3;
            case "ops/us" -> score * 1e6;
            case "s/op" -> score * 1e3;
            case "us/op" -> score / 1e3;
            case "ns/op" -> score / 1e6;
            default -> throw new IllegalArgumentException("Cannot read JMH score: unit " + unit
                    + " is not one of ops/s, ops/ms, ops/us, s/op, ms/op, us/op, ns/op");
        };
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
        return ratio >= 1 ? format(ratio) + "x faster" : format(1 / ratio) + "x slower";
    }

    private static String cell(Double score) {
        return score == null ? "" : format(score);
    }

    /** Three significant digits (at least the units), no exponent, thousands separated. */
    static String format(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_EVEN));
        int decimals = Math.max(0, rounded.scale());
        return String.format(Locale.ROOT, "%,." + decimals + "f", rounded);
    }
}
