package org.pocaduck.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pocaduck.PocaDuck;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.VolumeBlocks;

/**
 * Ingest throughput in points/s of a whole neuroproof volume (15,625,000 points, every label
 * including 0, in 64^3 blocks) into a new store: writing through ingestors and committing, then
 * consolidating (except {@link #writeOneWorker}, the write path alone). Grouping the volume into (label, block) point clouds happens at trial setup, so
 * volume decoding is not measured. Each invocation writes a fresh store; files are deleted
 * afterwards (memory stores stay in the forked JVM until it exits; Trino tables stay in its
 * memory catalog until the server stops).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xmx6g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestBenchmark {
    @Param({BenchData.MEMORY, BenchData.PARQUET_DUCKDB, BenchData.TABULAR})
    public String storage;

    @Param({"gt_bodies", "gt_supervoxels"})
    public String volume;

    private List<VolumeBlocks.Block> blocks;
    private StorageConfig config;
    private int run;

    @Setup(Level.Trial)
    public void setUp() {
        blocks = BenchData.blocks(volume);
    }

    @Setup(Level.Invocation)
    public void newStore() {
        String name = "ingest-" + volume + "-" + ProcessHandle.current().pid() + "-" + (run++);
        config = BenchData.config(storage, name);
    }

    @TearDown(Level.Invocation)
    public void deleteStore() {
        if (config.storageType().equals(BenchData.PARQUET_DUCKDB)) {
            BenchData.delete(Path.of(config.location()));
        } else if (!config.location().startsWith("trino:") && config.storageType().equals(BenchData.TABULAR)) {
            BenchData.delete(Path.of(config.location()));
            BenchData.delete(Path.of(config.location() + ".wal"));
        }
    }

    /** One worker thread writes the volume, then commit and consolidate. */
    @Benchmark
    @OperationsPerInvocation(BenchData.VOLUME_POINTS)
    public long ingestOneWorker() {
        try (Store store = PocaDuck.open(config)) {
            return BenchData.ingest(store, blocks, 1);
        }
    }

    /** One worker thread writes the volume and commits; no consolidation: the write path alone. */
    @Benchmark
    @OperationsPerInvocation(BenchData.VOLUME_POINTS)
    public long writeOneWorker() {
        try (Store store = PocaDuck.open(config)) {
            return BenchData.write(store, blocks, 1);
        }
    }

    /** Two worker threads, each with its own ingestor, write alternate blocks; then consolidate. */
    @Benchmark
    @OperationsPerInvocation(BenchData.VOLUME_POINTS)
    public long ingestTwoWorkers() {
        try (Store store = PocaDuck.open(config)) {
            return BenchData.ingest(store, blocks, 2);
        }
    }
}
