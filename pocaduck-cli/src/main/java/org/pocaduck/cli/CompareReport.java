package org.pocaduck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of a {@code compare} run: a text table, Markdown, JSON (Jackson) and a PNG chart
 * (XChart) of each store's latency by percentile. Latencies are in milliseconds.
 */
final class CompareReport {
    private static final String[] HEADER = {"store", "type", "queries", "p50 ms", "p90 ms", "p99 ms", "max ms",
        "mean ms", "points/s", "files", "rows", "bytes", "requests", "cache hits", "mismatches", "open ms"};

    private final String operation;
    private final int queries;
    private final long seed;
    private final String labels;
    private final List<CompareStats> results;

    CompareReport(String operation, int queries, long seed, String labels, List<CompareStats> results) {
        this.operation = operation;
        this.queries = queries;
        this.seed = seed;
        this.labels = labels;
        this.results = List.copyOf(results);
    }

    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (CompareStats r : results) {
            rows.add(new String[] {r.store(), r.storageType(), Integer.toString(r.queries()), ms(r.p50Ms()),
                ms(r.p90Ms()), ms(r.p99Ms()), ms(r.maxMs()), ms(r.meanMs()), count(Math.round(r.pointsPerSecond())),
                count(r.files()), count(r.rows()), count(r.bytes()), count(r.requests()), Long.toString(r.cacheHits()),
                Long.toString(r.mismatches()), ms(r.openMs())});
        }
        return rows;
    }

    private String title() {
        return String.format(Locale.ROOT, "%s of %d labels (--labels %s, seed %d)", operation, queries, labels, seed);
    }

    /** @return the table as aligned text, one store per line */
    String text() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.addAll(rows());
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder(title()).append('\n');
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                text.append(String.format(Locale.ROOT, format, row[i])).append(i + 1 < row.length ? "  " : "\n");
            }
        }
        return text.toString();
    }

    /** Writes the table as Markdown. */
    void writeMarkdown(Path file) {
        StringBuilder md = new StringBuilder("### ").append(title()).append("\n\n| ")
                .append(String.join(" | ", HEADER)).append(" |\n|").append("---|".repeat(HEADER.length)).append('\n');
        for (String[] row : rows()) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append("\nLatency: each query's QueryTiming total, nearest-rank percentiles; points/s: points returned per"
                + " second of summed query time; files, rows, bytes, requests (read requests: ranged GETs, positional reads): summed over the queries; mismatches: labels whose"
                + " result size differs from the first store's.\n");
        write(file, md.toString());
    }

    /** Writes every figure, and each store's sorted latencies, as JSON. */
    void writeJson(Path file) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("operation", operation);
        document.put("queries", queries);
        document.put("labels", labels);
        document.put("seed", seed);
        List<Map<String, Object>> stores = new ArrayList<>();
        for (CompareStats r : results) {
            Map<String, Object> store = new LinkedHashMap<>();
            store.put("store", r.store());
            store.put("storage_type", r.storageType());
            store.put("location", r.location());
            store.put("backend", r.backend());
            store.put("queries", r.queries());
            store.put("p50_ms", r.p50Ms());
            store.put("p90_ms", r.p90Ms());
            store.put("p99_ms", r.p99Ms());
            store.put("max_ms", r.maxMs());
            store.put("mean_ms", r.meanMs());
            store.put("points", r.points());
            store.put("points_per_second", r.pointsPerSecond());
            store.put("files_touched", r.files());
            store.put("rows_read", r.rows());
            store.put("bytes_read", r.bytes());
            store.put("read_requests", r.requests());
            store.put("cache_hits", r.cacheHits());
            store.put("mismatches", r.mismatches());
            store.put("open_ms", r.openMs());
            store.put("latencies_ms", r.latenciesMs());
            stores.add(store);
        }
        document.put("stores", stores);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Draws each store's latency distribution as a PNG: the latency under which a given percent of
     * the queries finished (the quantile function, the CDF with its axes swapped), latency on a
     * logarithmic scale. The scale is drawn as log10 values on a linear axis labelled in
     * milliseconds, because XChart 3.8.8 spaces the other axis's ticks wrongly when one axis is
     * logarithmic.
     */
    void writeChart(Path file) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(600).title("Latency of " + title())
                .xAxisTitle("percent of queries finished within the latency").yAxisTitle("latency (ms, log scale)")
                .build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(100.0);
        styler.setyAxisTickLabelsFormattingFunction(log10 -> ms(Math.pow(10, log10)));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(220, 220, 220));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        for (CompareStats r : results) {
            int n = r.latenciesMs().length;
            double[] log10 = new double[n];
            double[] percent = new double[n];
            for (int i = 0; i < n; i++) {
                // A query under a nanosecond is drawn at 1 ns.
                log10[i] = Math.log10(Math.max(r.latenciesMs()[i], 1e-6));
                percent[i] = 100.0 * (i + 1) / n;
            }
            String name = String.format(Locale.ROOT, "%s (p50 %s ms, p99 %s ms)", r.store(), ms(r.p50Ms()),
                    ms(r.p99Ms()));
            chart.addSeries(name, percent, log10).setMarker(SeriesMarkers.NONE);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write chart " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis)
                : millis >= 1 ? String.format(Locale.ROOT, "%.2f", millis) : String.format(Locale.ROOT, "%.3f", millis);
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
