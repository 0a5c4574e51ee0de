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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The results of JMH runs, read from its JSON result files ({@code -rf json}).
 */
final class JmhResults {
    private JmhResults() {
    }

    /**
     * One benchmark with one parameter set.
     *
     * @param benchmarkClass the simple name of the benchmark class
     * @param method the benchmark method
     * @param params the {@code @Param} values
     * @param mode JMH's mode ({@code thrpt}, {@code avgt}, {@code sample}, {@code ss})
     * @param score the primary score, in ms per operation for time modes and operations per second
     *     for throughput, whatever unit JMH used
     * @param percentiles for sample mode: percentile (0 to 100) to time in ms; empty otherwise
     * @param raw the measured iterations' scores in the same unit (empty for sample mode)
     */
    record Result(String benchmarkClass, String method, Map<String, String> params, String mode, double score,
            Map<Double, Double> percentiles, List<Double> raw) {
        Result {
            params = Map.copyOf(params);
            percentiles = Map.copyOf(percentiles);
            raw = List.copyOf(raw);
        }

        /** @return the value of a parameter, or empty */
        String param(String name) {
            return params.getOrDefault(name, "");
        }

        /** @return the time in ms at a percentile of a sample-mode result, if recorded */
        Optional<Double> percentile(double p) {
            return Optional.ofNullable(percentiles.get(p));
        }
    }

    /**
     * @return the results of every {@code jmh-*.json} file in a directory, in file-name order
     * @throws UncheckedIOException if the directory or a file cannot be read
     */
    static List<Result> readDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return read(files.filter(p -> p.getFileName().toString().matches("jmh-.*\\.json")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list JMH results in " + directory, e);
        }
    }

    /**
     * @return the results of JMH JSON files, in order
     * @throws UncheckedIOException if a file cannot be read
     * @throws IllegalArgumentException if a score has a unit this reader does not know
     */
    static List<Result> read(List<Path> files) {
        List<Result> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            JsonNode root;
            try {
                root = json.readTree(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read JMH results " + file, e);
            }
            for (JsonNode node : root) {
                results.add(result(node));
            }
        }
        return results;
    }

    private static Result result(JsonNode node) {
        String benchmark = node.get("benchmark").asText();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        String benchmarkClass = owner.substring(owner.lastIndexOf('.') + 1);
        Map<String, String> params = new LinkedHashMap<>();
        node.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        JsonNode metric = node.get("primaryMetric");
        String unit = metric.get("scoreUnit").asText();
        Map<Double, Double> percentiles = new LinkedHashMap<>();
        metric.path("scorePercentiles").fields().forEachRemaining(e ->
                percentiles.put(Double.parseDouble(e.getKey()), normalized(e.getValue().asDouble(), unit)));
        List<Double> raw = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode value : fork) {
                raw.add(normalized(value.asDouble(), unit));
            }
        }
        String mode = node.path("mode").asText();
        return new Result(benchmarkClass, method, params, mode, normalized(metric.get("score").asDouble(), unit),
                mode.equals("sample") ? percentiles : Map.of(), raw);
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
}
