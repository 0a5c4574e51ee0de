package org.pocaduck.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.pocaduck.Query;
import org.pocaduck.Store;

/**
 * The baselines the backends are compared with, on the same labels as {@link QueryBenchmark}:
 *
 * <ul>
 *   <li>{@code readParquet*}: what a user would do without the library: DuckDB (in memory, JDBC)
 *       {@code SELECT x, y, z FROM read_parquet([files]) WHERE label = ?} straight over the
 *       committed Parquet files of the parquet-duckdb read store (docs/FORMAT.md), into a
 *       {@code long[]};</li>
 *   <li>{@code copy*}: the raw-read limit: copying the label's N x 3 int64 values out of memory
 *       into an array allocated once (memory bandwidth, no allocation).</li>
 * </ul>
 */
@State(Scope.Benchmark)
// The heap's first 3 GB touched at start: a large label's result (89 MB for gt_bodies' largest)
// then lands in memory the process already has, so reads measure the backend, not page faults.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xmx6g", "-Xms3g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BaselineBenchmark {
    @Param({"gt_bodies", "gt_supervoxels"})
    public String volume;

    private BenchData.Labels labels;
    private Connection duckdb;
    private PreparedStatement read;
    private final Map<Long, long[]> inMemory = new HashMap<>();
    private long[] target;
    private long[] everyLabel;
    private int nextRead;
    private int nextCopy;
    private int nextEvery;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        labels = BenchData.labels(volume);
        everyLabel = labels.allShuffled();
        try (Store store = BenchData.readStore(BenchData.PARQUET_DUCKDB, volume); Query query = store.query()) {
            for (long label : labels.mix()) {
                inMemory.computeIfAbsent(label, l -> query.points(l).toArray());
            }
            for (long label : new long[] {labels.small(), labels.median(), labels.largest()}) {
                inMemory.computeIfAbsent(label, l -> query.points(l).toArray());
            }
            target = new long[inMemory.values().stream().mapToInt(v -> v.length).max().orElse(0)];
            List<Path> files = BenchData.parquetFiles(Path.of(store.config().location()));
            if (files.isEmpty()) {
                throw new IllegalStateException("Cannot set up the read_parquet baseline: no Parquet files in "
                        + store.config().location());
            }
            duckdb = DriverManager.getConnection("jdbc:duckdb:");
            String list = files.stream().map(p -> "'" + p.toString().replace("'", "''") + "'")
                    .collect(Collectors.joining(", ", "[", "]"));
            read = duckdb.prepareStatement("SELECT x, y, z FROM read_parquet(" + list
                    + ") WHERE label = CAST(? AS UBIGINT)");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        read.close();
        duckdb.close();
    }

    private long[] readParquet(long label) throws SQLException {
        read.setString(1, Long.toUnsignedString(label));
        long[] values = new long[3 * 1024];
        int n = 0;
        try (ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                if (n + 3 > values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[n++] = rs.getLong(1);
                values[n++] = rs.getLong(2);
                values[n++] = rs.getLong(3);
            }
        }
        return Arrays.copyOf(values, n);
    }

    private long[] copy(long label) {
        long[] source = inMemory.get(label);
        System.arraycopy(source, 0, target, 0, source.length);
        return target;
    }

    @Benchmark
    public long[] readParquetSmall() throws SQLException {
        return readParquet(labels.small());
    }

    @Benchmark
    public long[] readParquetMedian() throws SQLException {
        return readParquet(labels.median());
    }

    @Benchmark
    public long[] readParquetLargest() throws SQLException {
        return readParquet(labels.largest());
    }

    @Benchmark
    public long[] readParquetMix() throws SQLException {
        long label = labels.mix()[nextRead];
        nextRead = (nextRead + 1) % labels.mix().length;
        return readParquet(label);
    }

    /** The labels of {@link QueryBenchmark#pointsEveryLabel}, in its order, sampled one call at a time. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public long[] readParquetEveryLabel() throws SQLException {
        long label = everyLabel[nextEvery];
        nextEvery = (nextEvery + 1) % everyLabel.length;
        return readParquet(label);
    }

    @Benchmark
    public long[] copySmall() {
        return copy(labels.small());
    }

    @Benchmark
    public long[] copyMedian() {
        return copy(labels.median());
    }

    @Benchmark
    public long[] copyLargest() {
        return copy(labels.largest());
    }

    @Benchmark
    public long[] copyMix() {
        long label = labels.mix()[nextCopy];
        nextCopy = (nextCopy + 1) % labels.mix().length;
        return copy(label);
    }
}
