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
import java.util.TreeMap;

/**
 * The performance page's tables of the JMH sections other than "backends" ({@link BenchReport}):
 * latency distributions, the label index, volume-format reads. Stateless.
 */
final class JmhSections {
    /** Storage types in the order of the tables; others follow in name order. */
    private static final List<String> STORAGE_ORDER = List.of(BenchData.MEMORY, BenchData.PARQUET_DUCKDB,
            BenchData.TABULAR, BenchData.TABULAR_ARRAY, BenchData.TABULAR_TRINO);
    private static final String READ_PARQUET = "DuckDB read_parquet";
    /** The file {@link StoreSizes} writes beside the JMH results. */
    static final String STORE_SIZES = "store-sizes.json";

    private JmhSections() {
    }

    /**
     * The "latency" section: per volume, points(label) over every label sampled one call at a
     * time ({@link QueryBenchmark#pointsEveryLabel}, {@link BaselineBenchmark#readParquetEveryLabel}), with the
     * read stores' sizes when {@value #STORE_SIZES} is in the directory.
     */
    static String latency(Path directory) {
        List<JmhResults.Result> results = JmhResults.readDirectory(directory);
        Map<String, Map<String, JmhResults.Result>> byVolume = new TreeMap<>();
        for (JmhResults.Result r : results) {
            String column;
            if (r.benchmarkClass().equals("QueryBenchmark") && r.method().equals("pointsEveryLabel")) {
                column = r.param("storage");
            } else if (r.benchmarkClass().equals("BaselineBenchmark") && r.method().equals("readParquetEveryLabel")) {
                column = READ_PARQUET;
            } else {
                continue;
            }
            byVolume.computeIfAbsent(r.param("volume"), v -> new TreeMap<>()).put(column, r);
        }
        Map<String, JsonNode> sizes = storeSizes(directory);
        StringBuilder md = new StringBuilder();
        byVolume.forEach((volume, byStorage) -> {
            md.append("### ").append(volume).append("\n\n");
            Markdown table = new Markdown("storage type", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms",
                    "stored bytes", "bytes per point");
            for (String storage : ordered(byStorage.keySet())) {
                JmhResults.Result r = byStorage.get(storage);
                JsonNode size = sizes.get(storage + "/" + volume);
                table.row(storage, percentile(r, 50), percentile(r, 90), percentile(r, 99), percentile(r, 100),
                        Markdown.format(r.score()),
                        size == null ? "" : Markdown.mebibytes(size.get("bytes").asDouble()),
                        size == null ? "" : Markdown.format(size.get("bytes").asDouble() / size.get("points").asDouble()));
            }
            md.append(table).append('\n');
        });
        return md.toString();
    }

    private static String percentile(JmhResults.Result r, double p) {
        return r.percentile(p).map(Markdown::format).orElse("");
    }

    private static Map<String, JsonNode> storeSizes(Path directory) {
        Path file = directory.resolve(STORE_SIZES);
        Map<String, JsonNode> sizes = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return sizes;
        }
        try {
            for (JsonNode store : new ObjectMapper().readTree(file.toFile())) {
                sizes.put(store.get("storage").asText() + "/" + store.get("volume").asText(), store);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return sizes;
    }

    /**
     * The "label-index" section: every label's counts, one pass of labelSummaries() against the
     * per-label loop ({@link LabelIndexBenchmark}), per storage type.
     */
    static String labelIndex(Path directory) {
        Map<String, Map<String, JmhResults.Result>> byStorage = new TreeMap<>();
        String volume = "";
        for (JmhResults.Result r : JmhResults.readDirectory(directory)) {
            if (r.benchmarkClass().equals("LabelIndexBenchmark")) {
                byStorage.computeIfAbsent(r.param("storage"), s -> new TreeMap<>()).put(r.method(), r);
                volume = r.param("volume");
            }
        }
        Markdown table = new Markdown("storage type", "labelSummaries() ms", "per-label loop ms", "ratio of means");
        for (String storage : ordered(byStorage.keySet())) {
            JmhResults.Result summaries = byStorage.get(storage).get("labelSummaries");
            JmhResults.Result loop = byStorage.get(storage).get("perLabelLoop");
            table.row(storage, calls(summaries), calls(loop),
                    summaries == null || loop == null ? "" : Markdown.format(loop.score() / summaries.score()) + "x");
        }
        return table.isEmpty() ? "" : "Volume " + volume + ".\n\n" + table + "\n";
    }

    private static String calls(JmhResults.Result r) {
        if (r == null) {
            return "";
        }
        if (r.raw().size() < 2) {
            return Markdown.format(r.score());
        }
        double min = r.raw().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = r.raw().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return Markdown.format(min) + " - " + Markdown.format(max) + " (mean " + Markdown.format(r.score()) + ", "
                + r.raw().size() + " calls)";
    }

    /** The volumes of {@link VolumeReadBenchmark}, as the table names them. */
    private static final Map<String, String> VOLUMES = Map.of(
            "hdf5", "`hdf5` groundtruth.h5 (int32, contiguous)",
            "zarr-v2", "`zarr` v2 OME-Zarr gt_bodies scale 0 (uint8, Blosc lz4 + shuffle)",
            "zarr-v3", "`zarr` v3 gt_supervoxels (uint64, zstd)",
            "tiff", "`tiff` overseg_supervoxels.tif (uint16, deflate)",
            "image-stack", "`image-stack` overseg_supervoxels_png (uint16 PNG)");
    private static final List<String> FORMAT_ORDER = List.of("hdf5", "zarr-v2", "zarr-v3", "tiff", "image-stack");

    /** The "volumes" section: read throughput per format and read shape ({@link VolumeReadBenchmark}). */
    static String volumes(Path directory) {
        Map<String, Map<String, Double>> byFormat = new TreeMap<>();
        for (JmhResults.Result r : JmhResults.readDirectory(directory)) {
            if (r.benchmarkClass().equals("VolumeReadBenchmark")) {
                byFormat.computeIfAbsent(r.param("format"), f -> new TreeMap<>()).put(r.param("read"), r.score());
            }
        }
        Markdown table = new Markdown("volume", "64^3 boxes (M voxels/s)", "64-slice slabs (M voxels/s)");
        List<String> formats = new ArrayList<>(FORMAT_ORDER);
        byFormat.keySet().stream().filter(f -> !formats.contains(f)).forEach(formats::add);
        for (String format : formats) {
            Map<String, Double> reads = byFormat.get(format);
            if (reads != null) {
                table.row(VOLUMES.getOrDefault(format, format), mega(reads.get("box")), mega(reads.get("slab")));
            }
        }
        return table.isEmpty() ? "" : table + "\n";
    }

    private static String mega(Double perSecond) {
        return perSecond == null ? "" : Markdown.format(perSecond / 1e6);
    }

    private static List<String> ordered(java.util.Collection<String> storages) {
        List<String> ordered = new ArrayList<>();
        for (String s : STORAGE_ORDER) {
            if (storages.contains(s)) {
                ordered.add(s);
            }
        }
        storages.stream().filter(s -> !ordered.contains(s)).sorted().forEach(ordered::add);
        return ordered;
    }
}
