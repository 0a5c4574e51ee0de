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
 * A smoke run of the benchmarks: every storage type and both baselines on gt_bodies, and one
 * volume format, one short iteration each, in this JVM (no fork), then the performance page's
 * tables from its results.
 * Checks that the benchmarks run and report sane figures, not how fast anything is.
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
        Path json = dir.resolve("jmh-smoke.json");
        Options options = new OptionsBuilder()
                .include("QueryBenchmark\\.(pointsMix|pointCount|pointsEveryLabel)$")
                .include("BaselineBenchmark\\.(readParquetMix|copyMix|readParquetEveryLabel)$")
                .include("IngestBenchmark\\.ingestOneWorker$")
                .include("VolumeReadBenchmark")
                .param("volume", "gt_bodies")
                .param("storage", BenchData.MEMORY, BenchData.PARQUET_DUCKDB, BenchData.TABULAR)
                .param("format", "zarr-v3")
                .param("read", "box")
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
                "pointCount/memory", "pointCount/parquet-duckdb", "pointCount/tabular", "pointsEveryLabel/memory",
                "pointsEveryLabel/parquet-duckdb", "pointsEveryLabel/tabular", "readParquetMix", "copyMix",
                "readParquetEveryLabel", "ingestOneWorker/memory", "ingestOneWorker/parquet-duckdb",
                "ingestOneWorker/tabular", "readWholeVolume");
        assertThat(scores.values()).allSatisfy(score -> assertThat(score).isPositive().isFinite());

        List<JmhResults.Result> read = JmhResults.read(List.of(json));
        assertThat(new BenchReport(read).markdown()).contains("### gt_bodies")
                .contains("| operation | memory | parquet-duckdb | tabular | DuckDB read_parquet | in-memory copy |")
                .contains("| points(label), random mix, mean (ms) |")
                .contains("| ingest, 1 worker thread (M points/s) |")
                .containsPattern("\\| points\\(label\\), random mix, mean \\| [0-9.,]+x (faster|slower) / [0-9.,]+x \\|")
                .doesNotContain("EveryLabel");
        assertThat(JmhSections.latency(dir)).contains("### gt_bodies")
                .containsPattern("\\| parquet-duckdb \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.,]+ \\| [0-9.,]+ \\|  \\|  \\|")
                .contains("| DuckDB read_parquet |");
        assertThat(JmhSections.volumes(dir)).containsPattern("\\| `zarr` v3 gt_supervoxels \\(uint64, zstd\\) \\| [0-9.,]+ \\|  \\|");
    }
}
