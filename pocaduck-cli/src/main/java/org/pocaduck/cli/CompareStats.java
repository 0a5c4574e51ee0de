package org.pocaduck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.pocaduck.QueryTiming;

/**
 * The summary of one store's run of a {@code compare} workload, from its {@link QueryTiming}
 * records: latency percentiles (nearest rank) of the queries' total times, throughput, and what
 * the queries touched.
 *
 * @param store the store's name in the report
 * @param storageType its storage type
 * @param location its location
 * @param backend the backend name its timings report
 * @param queries queries timed (warm-up excluded)
 * @param p50Ms median latency, milliseconds
 * @param p90Ms 90th percentile, milliseconds
 * @param p99Ms 99th percentile, milliseconds
 * @param maxMs slowest query, milliseconds
 * @param meanMs mean latency, milliseconds
 * @param points points returned or counted (operation points: the clouds' sizes; count: the counts;
 *     blocks: 0)
 * @param pointsPerSecond points returned per second of summed query time (0 if none)
 * @param files files touched, summed over the queries
 * @param rows rows read, summed
 * @param bytes bytes read, summed
 * @param requests read requests (ranged GETs, positional reads), summed
 * @param cacheHits queries answered from a cache
 * @param mismatches labels whose result size differs from the first store's
 * @param latenciesMs every query's latency in milliseconds, sorted ascending
 * @param openMs time to open the store and a {@code Query} on it, milliseconds (the first store
 *     was opened once before, to draw the workload's labels)
 */
record CompareStats(String store, String storageType, String location, String backend, int queries, double p50Ms,
        double p90Ms, double p99Ms, double maxMs, double meanMs, long points, double pointsPerSecond, long files,
        long rows, long bytes, long requests, long cacheHits, long mismatches, double[] latenciesMs, double openMs) {

    /**
     * @param timings one timing per query, in workload order, at least one
     * @param resultSizes each query's result size (points, count or blocks), same order
     * @param reference the first store's result sizes, or null for the first store
     * @param sizesArePoints whether result sizes count points (points, count) rather than blocks
     * @param openNanos time to open the store and its query
     */
    static CompareStats of(String store, String storageType, String location, List<QueryTiming> timings,
            long[] resultSizes, long[] reference, boolean sizesArePoints, long openNanos) {
        if (timings.isEmpty()) {
            throw new IllegalArgumentException("Cannot summarise store " + store + ": no queries timed");
        }
        double[] millis = timings.stream().mapToDouble(t -> t.total().toNanos() / 1e6).sorted().toArray();
        long nanos = timings.stream().mapToLong(t -> t.total().toNanos()).sum();
        long points = sizesArePoints ? Arrays.stream(resultSizes).sum() : 0;
        long mismatches = 0;
        if (reference != null) {
            for (int i = 0; i < resultSizes.length; i++) {
                if (resultSizes[i] != reference[i]) {
                    mismatches++;
                }
            }
        }
        return new CompareStats(store, storageType, location, timings.get(0).backend(), timings.size(),
                percentile(millis, 50), percentile(millis, 90), percentile(millis, 99), millis[millis.length - 1],
                Arrays.stream(millis).average().orElse(0), points, nanos == 0 ? 0 : points / (nanos / 1e9),
                timings.stream().mapToLong(QueryTiming::filesTouched).sum(),
                timings.stream().mapToLong(QueryTiming::rowsRead).sum(),
                timings.stream().mapToLong(QueryTiming::bytesRead).sum(),
                timings.stream().mapToLong(QueryTiming::readRequests).sum(),
                timings.stream().filter(QueryTiming::cacheHit).count(), mismatches, millis, openNanos / 1e6);
    }

    /**
     * One store's figures as {@link CompareReport#writeJson} wrote them.
     *
     * @param store the name to report it under
     * @throws IllegalArgumentException if a figure is missing
     */
    static CompareStats fromJson(String store, JsonNode json) {
        for (String key : List.of("storage_type", "location", "backend", "queries", "p50_ms", "p90_ms", "p99_ms",
                "max_ms", "mean_ms", "points", "points_per_second", "files_touched", "rows_read", "bytes_read",
                "read_requests", "cache_hits", "mismatches", "latencies_ms", "open_ms")) {
            if (!json.has(key)) {
                throw new IllegalArgumentException("Cannot read the figures of store " + store + ": no '" + key + "'");
            }
        }
        double[] latencies = new double[json.get("latencies_ms").size()];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = json.get("latencies_ms").get(i).asDouble();
        }
        return new CompareStats(store, json.get("storage_type").asText(), json.get("location").asText(),
                json.get("backend").asText(), json.get("queries").asInt(), json.get("p50_ms").asDouble(),
                json.get("p90_ms").asDouble(), json.get("p99_ms").asDouble(), json.get("max_ms").asDouble(),
                json.get("mean_ms").asDouble(), json.get("points").asLong(), json.get("points_per_second").asDouble(),
                json.get("files_touched").asLong(), json.get("rows_read").asLong(), json.get("bytes_read").asLong(),
                json.get("read_requests").asLong(), json.get("cache_hits").asLong(), json.get("mismatches").asLong(),
                latencies, json.get("open_ms").asDouble());
    }

    /** Nearest-rank percentile of ascending values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
