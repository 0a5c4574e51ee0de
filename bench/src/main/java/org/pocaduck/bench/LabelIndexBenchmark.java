package org.pocaduck.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Query;
import org.pocaduck.Store;

/**
 * Every label's point count and block count, two ways, through the public API: one pass of
 * {@link Query#labelSummaries()}, and the per-label loop it replaces ({@link Query#labels()},
 * then {@link Query#pointCount} and {@link Query#blocks} per label). Each call opens a new
 * {@link Query}, so no per-query cache (tabular keeps one) carries over between calls. Time per
 * whole pass over the store.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xmx6g"})
@BenchmarkMode(Mode.SingleShotTime)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LabelIndexBenchmark {
    @Param({BenchData.MEMORY, BenchData.PARQUET_DUCKDB, BenchData.TABULAR})
    public String storage;

    @Param({"gt_supervoxels"})
    public String volume;

    private Store store;

    @Setup(Level.Trial)
    public void setUp() {
        store = BenchData.readStore(storage, volume);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** One streamed pass of the label index: the sum of point counts and block counts. */
    @Benchmark
    public long labelSummaries() {
        long sum = 0;
        try (Query query = store.query(); LabelSummaries summaries = query.labelSummaries()) {
            while (summaries.hasNext()) {
                LabelSummary summary = summaries.next();
                sum += summary.pointCount() + summary.blockCount();
            }
        }
        return sum;
    }

    /** The same sums from one pointCount and one blocks call per label. */
    @Benchmark
    public long perLabelLoop() {
        long sum = 0;
        try (Query query = store.query()) {
            for (long label : query.labels()) {
                sum += query.pointCount(label) + query.blocks(label).size();
            }
        }
        return sum;
    }
}
