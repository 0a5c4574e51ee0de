package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.parquet.index.DuckDb;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.testkit.VolumeBlocks;

/**
 * Ingest throughput and {@code points(label)} latency of the parquet-duckdb backend on the
 * neuroproof volumes (250^3 = 15,625,000 points each), with DuckDB's {@code read_parquet} over the
 * same files as the baseline. Run it as README's parquet-duckdb section shows; the figures there
 * come from this class.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ParquetDuckdbBenchmark {
    static final int VOLUME_POINTS = 250 * 250 * 250;
    /** gt_bodies' largest body: 3,702,057 points. */
    static final long LARGEST_BODY = 114488L;

    @Param({"gt_supervoxels", "gt_bodies"})
    public String volume;

    private List<VolumeBlocks.Block> blocks;
    private Path root;
    private Path readStore;
    private Query query;
    private Store store;
    private long[] smallLabels;
    private int next;
    private DuckDBConnection duckdb;
    private PreparedStatement duckdbRead;
    private int ingestRun;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RawLabelVolume data = RawLabelVolume.read(SharedData.resolve("neuroproof_ts2/" + volume + ".u64.raw.gz"));
        blocks = VolumeBlocks.blocks(data);
        root = Files.createTempDirectory("pocaduck-bench-");
        readStore = root.resolve("read");
        StorageConfig config = config(readStore).toBuilder().option(Settings.CACHE_BYTES, "0").build();
        try (Store writer = PocaDuck.open(config)) {
            for (int w = 0; w < 2; w++) {
                try (Ingestor ingestor = writer.ingestor("worker-" + w)) {
                    VolumeBlocks.write(ingestor, blocks, w, 2);
                    ingestor.commit();
                }
            }
            writer.consolidate();
        }
        store = PocaDuck.openExisting(config);
        query = store.query();
        LabelStats stats = LabelStats.read(SharedData.resolve("neuroproof_ts2/" + volume + ".label_stats.csv"));
        smallLabels = stats.byLabel().values().stream().filter(r -> r.voxelCount() < 100_000)
                .mapToLong(LabelStats.Row::label).toArray();
        List<String> files;
        try (Stream<Path> walk = Files.walk(readStore)) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
        duckdb = DuckDb.openInMemory();
        String list = files.stream().map(DuckDb::literal).collect(Collectors.joining(", ", "[", "]"));
        duckdbRead = duckdb.prepareStatement("SELECT x, y, z FROM read_parquet(" + list
                + ") WHERE label = CAST(? AS UBIGINT)");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        query.close();
        store.close();
        duckdbRead.close();
        duckdb.close();
        deleteTree(root);
    }

    static StorageConfig config(Path location) {
        return StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE).location(location).build();
    }

    /** One worker thread writes the whole volume and commits (sort, Parquet, index). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(VOLUME_POINTS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long ingestOneWorker() {
        Path location = root.resolve("ingest-" + (ingestRun++));
        long points;
        try (Store target = PocaDuck.open(config(location)); Ingestor ingestor = target.ingestor("w")) {
            points = VolumeBlocks.write(ingestor, blocks, 0, 1);
            ingestor.commit();
        }
        deleteTree(location);
        return points;
    }

    /** points(label) of labels under 100k points, cycling through all of them; cache off. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PointCloud pointsSmallLabel() {
        long label = smallLabels[next++ % smallLabels.length];
        return query.points(label);
    }

    /** The same labels through DuckDB read_parquet over the same files. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long[] duckdbSmallLabel() throws SQLException {
        long label = smallLabels[next++ % smallLabels.length];
        return duckdbPoints(label);
    }

    /** points(label) of gt_bodies' largest body (3,702,057 points); cache off. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public PointCloud pointsLargestBody() {
        return query.points(volume.equals("gt_bodies") ? LARGEST_BODY : 1L);
    }

    /** The largest body through DuckDB read_parquet. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long[] duckdbLargestBody() throws SQLException {
        return duckdbPoints(volume.equals("gt_bodies") ? LARGEST_BODY : 1L);
    }

    private long[] duckdbPoints(long label) throws SQLException {
        duckdbRead.setString(1, Long.toUnsignedString(label));
        long[] values = new long[3 * 1024];
        int n = 0;
        try (ResultSet rs = duckdbRead.executeQuery()) {
            while (rs.next()) {
                if (n + 3 > values.length) {
                    values = java.util.Arrays.copyOf(values, values.length * 2);
                }
                values[n++] = rs.getLong(1);
                values[n++] = rs.getLong(2);
                values[n++] = rs.getLong(3);
            }
        }
        return java.util.Arrays.copyOf(values, n);
    }

    static void deleteTree(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot delete " + path, e);
        }
    }
}
