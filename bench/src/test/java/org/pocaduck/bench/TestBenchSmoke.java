package org.pocaduck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A smoke run of the benchmarks: every storage type and both baselines on gt_bodies, one short
 * iteration each, in this JVM (no fork), then the README tables from its results. Checks that
 * the benchmarks run and report sane figures, not how fast anything is.
 */
class TestBenchSmoke {
    @TempDir
    Path dir;

    @Test
    void benchmarksRunAndTheReportIsWritten() throws Exception {
        System.setProperty("pocaduck.bench.dir", dir.resolve("stores").toString());
        // JMH's machine-wide lock keeps two measuring runs apart; this run measures nothing that
        // matters, so it need not wait for (or fail beside) a benchmark running on the machine.
        System.setProperty("jmh.ignoreLock", "true");
        Path json = dir.resolve("jmh.json");
        Options options = new OptionsBuilder()
                .include("QueryBenchmark\\.(pointsMix|pointCount)$")
                .include("BaselineBenchmark\\.(readParquetMix|copyMix)$")
                .include("IngestBenchmark\\.ingestOneWorker$")
                .param("volume", "gt_bodies")
                .param("storage", BenchData.MEMORY, BenchData.PARQUET_DUCKDB, BenchData.TABULAR)
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Map<String, Double> scores = new TreeMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceFirst(".*\\.", "");
            String storage = result.getParams().getParam("storage");
            scores.put(name + (storage == null ? "" : "/" + storage), result.getPrimaryResult().getScore());
        }
        assertThat(scores).containsOnlyKeys("pointsMix/memory", "pointsMix/parquet-duckdb", "pointsMix/tabular",
                "pointCount/memory", "pointCount/parquet-duckdb", "pointCount/tabular", "readParquetMix", "copyMix",
                "ingestOneWorker/memory", "ingestOneWorker/parquet-duckdb", "ingestOneWorker/tabular");
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isPositive().isFinite());
        // DuckDB over every Parquet file does more work than copying the same points in memory.
        assertThat(scores.get("readParquetMix")).isGreaterThan(scores.get("copyMix"));

        String markdown = BenchReport.markdown(List.of(json));
        assertThat(markdown).contains("#### gt_bodies")
                .contains("| operation | memory | parquet-duckdb | tabular | DuckDB read_parquet | in-memory copy |")
                .contains("| points(label), random mix, mean (ms) |")
                .contains("| ingest, 1 worker thread (M points/s) |")
                .containsPattern("\\| points\\(label\\), random mix, mean \\| [0-9.,]+x (faster|slower) / [0-9.,]+x \\|");
    }
}
