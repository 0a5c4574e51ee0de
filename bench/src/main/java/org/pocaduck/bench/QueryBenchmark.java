package org.pocaduck.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.Store;

/**
 * Read latency of each storage type on one neuroproof volume, through the public API: mean time
 * per call, and for {@link #pointsEveryLabel} the distribution of single calls. The store is
 * written once (two workers, consolidated) and reused; parquet-duckdb reads with its cache off.
 * Labels: see {@link BenchData#labels}. Besides the default storage types,
 * {@link BenchData#TABULAR_ARRAY} and {@link BenchData#TABULAR_TRINO} can be given with
 * {@code -p storage=...}.
 */
@State(Scope.Benchmark)
// The heap's first 3 GB touched at start: a large label's result (89 MB for gt_bodies' largest)
// then lands in memory the process already has, so reads measure the backend, not page faults.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xmx6g", "-Xms3g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class QueryBenchmark {
    @Param({BenchData.MEMORY, BenchData.PARQUET_DUCKDB, BenchData.TABULAR})
    public String storage;

    @Param({"gt_bodies", "gt_supervoxels"})
    public String volume;

    private Store store;
    private Query query;
    private BenchData.Labels labels;
    private long[] everyLabel;
    private int next;
    private int nextEvery;

    @Setup(Level.Trial)
    public void setUp() {
        labels = BenchData.labels(volume);
        everyLabel = labels.allShuffled();
        store = BenchData.readStore(storage, volume);
        query = store.query();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        query.close();
        store.close();
    }

    private long nextMixLabel() {
        long label = labels.mix()[next];
        next = (next + 1) % labels.mix().length;
        return label;
    }

    /** points(label) of a small label (10th percentile of sizes). */
    @Benchmark
    public PointCloud pointsSmall() {
        return query.points(labels.small());
    }

    /** points(label) of the median-sized label. */
    @Benchmark
    public PointCloud pointsMedian() {
        return query.points(labels.median());
    }

    /** points(label) of the largest label. */
    @Benchmark
    public PointCloud pointsLargest() {
        return query.points(labels.largest());
    }

    /** points(label) over the seeded random mix of labels, one label per call. */
    @Benchmark
    public PointCloud pointsMix() {
        return query.points(nextMixLabel());
    }

    /**
     * points(label) of every label, one per call in an order shuffled with {@link BenchData#SEED},
     * each call's time sampled: the distribution over a whole store, every label size weighted by
     * how often it occurs. The same labels through DuckDB are
     * {@link BaselineBenchmark#readParquetEveryLabel}.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public PointCloud pointsEveryLabel() {
        long label = everyLabel[nextEvery];
        nextEvery = (nextEvery + 1) % everyLabel.length;
        return query.points(label);
    }

    /** pointCount(label) over the mix. */
    @Benchmark
    public long pointCount() {
        return query.pointCount(nextMixLabel());
    }

    /** blocks(label) over the mix. */
    @Benchmark
    public List<String> blocks() {
        return query.blocks(nextMixLabel());
    }

    /** Every label of the store. */
    @Benchmark
    public long[] labels() {
        return query.labels();
    }

    /** The largest label streamed in chunks of {@link BenchData#CHUNK_POINTS} points. */
    @Benchmark
    public long streamLargest(Blackhole sink) {
        long points = 0;
        try (PointChunks chunks = query.streamPoints(labels.largest(), BenchData.CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                PointCloud chunk = chunks.next();
                sink.consume(chunk);
                points += chunk.size();
            }
        }
        return points;
    }
}
