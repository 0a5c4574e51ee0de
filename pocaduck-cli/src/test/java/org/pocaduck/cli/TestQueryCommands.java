package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/** The query and export commands on a store scanned from a FIB-19 block (36-bit labels). */
class TestQueryCommands {
    private static final Path VOLUME = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");
    private static final LabelStats STATS =
            LabelStats.read(SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.label_stats.csv"));
    private static final long BIG = 52001642957L;
    private static String location;

    @TempDir
    static Path stores;

    @TempDir
    Path dir;

    @BeforeAll
    static void scan() {
        location = Cli.freshStore(stores, "fib19-queries");
        Cli.ok("scan", VOLUME.toString(), "--location", location, "--block-size", "32", "--quiet");
    }

    @Test
    void labelsArePrintedUnsignedInOrder() {
        Cli.Run run = Cli.ok("labels", "--location", location);
        List<String> expected = Arrays.stream(STATS.labels()).mapToObj(Labels::format).toList();
        assertThat(run.out().lines().toList()).containsExactlyElementsOf(expected);
    }

    @Test
    void labelCountsAreCsvInUnsignedOrderWithEveryCount() {
        // 32^3 blocks: block counts are those of the store, not of label_stats (64^3).
        Cli.Run run = Cli.ok("labels", "--counts", "--location", location);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("label,point_count,block_count");
        assertThat(lines).hasSize(1 + STATS.byLabel().size());
        try (Store store = PocaDuck.openExisting(Cli.config(location)); Query query = store.query()) {
            int i = 1;
            for (LabelStats.Row row : STATS.byLabel().values()) {
                assertThat(lines.get(i++)).isEqualTo(Labels.format(row.label()) + "," + row.voxelCount() + ","
                        + query.blocks(row.label()).size());
            }
        }
    }

    @Test
    void csvByBlockHasABlockIdColumnAndEveryPoint() {
        Cli.Run run = Cli.ok("points", Long.toString(BIG), "--by-block", "--location", location);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("block_id,x,y,z");
        assertThat(lines).hasSize(1 + 146831);
        List<String> order = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            // Each point lies in the 32^3 block its line names.
            assertThat(cells[0]).isEqualTo(Long.parseLong(cells[1]) / 32 + "_" + Long.parseLong(cells[2]) / 32 + "_"
                    + Long.parseLong(cells[3]) / 32);
            if (order.isEmpty() || !order.getLast().equals(cells[0])) {
                order.add(cells[0]);
            }
        }
        try (Store store = PocaDuck.openExisting(Cli.config(location)); Query query = store.query()) {
            assertThat(order).as("block-id order, each block once").isEqualTo(query.blocks(BIG));
        }
    }

    @Test
    void onlyTheChosenBlocksAreExported() throws IOException {
        Cli.Run run = Cli.ok("points", Long.toString(BIG), "--blocks", "0_0_1,1_1_1,9_9_9", "--location", location);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("x,y,z");
        PointCloud whole = points(BIG);
        long expected = 0;
        for (int p = 0; p < whole.size(); p++) {
            String block = whole.get(p, 0) / 32 + "_" + whole.get(p, 1) / 32 + "_" + whole.get(p, 2) / 32;
            if (block.equals("0_0_1") || block.equals("1_1_1")) {
                expected++;
            }
        }
        assertThat(expected).isPositive().isLessThan(whole.size());
        assertThat(lines).hasSize(1 + (int) expected);
        Path file = dir.resolve("chosen.parquet");
        Cli.ok("points", Long.toString(BIG), "--blocks", "1_1_1,0_0_1", "--by-block", "--format", "parquet", "-o",
                file.toString(), "--location", location);
        try (ParquetReader<Group> reader = new GroupReader(new LocalInputFile(file)).build()) {
            Group row = reader.read();
            assertThat(row.getType().toString()).contains("required int64 label (INTEGER(64,false))")
                    .contains("required binary block_id (STRING)").contains("required int64 x");
            int rows = 0;
            List<String> blocks = new ArrayList<>();
            for (; row != null; row = reader.read()) {
                rows++;
                String block = row.getString("block_id", 0);
                assertThat(block).isEqualTo(row.getLong("x", 0) / 32 + "_" + row.getLong("y", 0) / 32 + "_"
                        + row.getLong("z", 0) / 32);
                if (blocks.isEmpty() || !blocks.getLast().equals(block)) {
                    blocks.add(block);
                }
            }
            assertThat(rows).isEqualTo(expected);
            assertThat(blocks).containsExactly("0_0_1", "1_1_1");
        }
        Cli.Run npy = Cli.run("points", Long.toString(BIG), "--by-block", "--format", "npy", "-o",
                dir.resolve("x.npy").toString(), "--location", location);
        assertThat(npy.exitCode()).isEqualTo(1);
        assertThat(npy.err()).contains("Cannot write npy points of label 52001642957 by block: only csv and parquet");
        assertThat(dir.resolve("x.npy")).doesNotExist();
    }

    @Test
    void countAndBlocksOfALabel() {
        assertThat(Cli.ok("count", Long.toString(BIG), "--location", location).out().strip())
                .isEqualTo(Long.toString(STATS.byLabel().get(BIG).voxelCount()));
        assertThat(Cli.ok("blocks", "52001220441", "--location", location).out().lines().toList())
                .containsExactly("0_0_1");
        assertThat(Cli.ok("count", "18446744073709551615", "--location", location).out().strip()).isEqualTo("0");
    }

    @Test
    void timingPrintsTheQueryTiming() {
        Cli.Run run = Cli.ok("count", Long.toString(BIG), "--location", location, "--timing");
        assertThat(run.err()).startsWith("timing: backend=parquet-duckdb operation=")
                .contains("total_ms=").contains("points_returned=");
    }

    @Test
    void infoAsTextAndJson() {
        assertThat(Cli.ok("info", "--location", location).out())
                .contains("storage_type:      parquet-duckdb")
                .contains("labels:            18")
                .contains("points:            262,144");
        assertThat(Cli.ok("info", "--location", location, "--json").out())
                .contains("\"labels\" : 18").contains("\"points\" : 262144").contains("\"dimensions\" : \"x,y,z\"");
    }

    @Test
    void csvHasAHeaderAndOnePointPerLine() {
        Cli.Run run = Cli.ok("points", "52001220441", "--location", location);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("x,y,z");
        assertThat(lines).hasSize(1 + 18);
        PointCloud points = points(52001220441L);
        assertThat(lines.get(1)).isEqualTo(points.get(0, 0) + "," + points.get(0, 1) + "," + points.get(0, 2));
    }

    @Test
    void npyLoadsWithShapeAndValues() throws IOException {
        Path file = dir.resolve("big.npy");
        Cli.ok("points", Long.toString(BIG), "--format", "npy", "-o", file.toString(), "--location", location);
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        assertThat((10 + headerLength) % 64).as("header padded to 64 bytes").isZero();
        NpyArray array = NpyFile.read(file, 1 << 20);
        assertThat(array.getShape()).containsExactly(146831, 3);
        assertThat(array.asLongArray()).isEqualTo(points(BIG).toArray());
    }

    @Test
    void plyHasAStandardHeaderAndDoubleVertices() throws IOException {
        Path file = dir.resolve("big.ply");
        Cli.ok("points", Long.toString(BIG), "--format", "ply", "--output", file.toString(), "--location", location);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int end = text.indexOf("end_header\n") + "end_header\n".length();
        assertThat(text.substring(0, end)).isEqualTo("""
                ply
                format binary_little_endian 1.0
                comment pocaduck label 52001642957
                comment pocaduck dimensions x,y,z
                element vertex 146831
                property double x
                property double y
                property double z
                end_header
                """);
        assertThat(bytes.length - end).isEqualTo(146831 * 3 * 8);
        PointCloud points = points(BIG);
        ByteBuffer body = ByteBuffer.wrap(bytes, end, bytes.length - end).order(ByteOrder.LITTLE_ENDIAN);
        for (int p : new int[] {0, 1, 146830}) {
            for (int d = 0; d < 3; d++) {
                assertThat(body.getDouble(end + (p * 3 + d) * 8)).isEqualTo((double) points.get(p, d));
            }
        }
    }

    @Test
    void parquetHasALabelColumnAndOneColumnPerDimension() throws IOException {
        Path file = dir.resolve("big.parquet");
        Cli.ok("points", Long.toString(BIG), "--format", "parquet", "-o", file.toString(), "--location", location);
        PointCloud points = points(BIG);
        try (ParquetReader<Group> reader = new GroupReader(new LocalInputFile(file)).build()) {
            Group first = reader.read();
            assertThat(first.getType().toString()).contains("required int64 label (INTEGER(64,false))")
                    .contains("required int64 x").contains("required int64 y").contains("required int64 z");
            assertThat(first.getLong("label", 0)).isEqualTo(BIG);
            assertThat(new long[] {first.getLong("x", 0), first.getLong("y", 0), first.getLong("z", 0)})
                    .isEqualTo(points.point(0));
            int rows = 1;
            while (reader.read() != null) {
                rows++;
            }
            assertThat(rows).isEqualTo(points.size());
        }
    }

    @Test
    void badLabelsAndMissingOutputAreErrors() {
        Cli.Run bad = Cli.run("count", "-5", "--location", location);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Cannot parse label '-5'");
        Cli.Run tooBig = Cli.run("count", "18446744073709551616", "--location", location);
        assertThat(tooBig.exitCode()).isEqualTo(2);
        Cli.Run npy = Cli.run("points", Long.toString(BIG), "--format", "npy", "--location", location);
        assertThat(npy.exitCode()).isEqualTo(1);
        assertThat(npy.err()).contains("pocaduck: Cannot write npy points of label 52001642957 to the terminal");
        Cli.Run missing = Cli.run("info", "--location", Cli.freshStore(dir, "never-created"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("pocaduck: Cannot open store ").contains("never-created")
                .contains("there is no store there");
    }

    @Test
    void configFileGivesTheSameStore() throws IOException {
        Path config = dir.resolve("store.properties");
        Files.writeString(config, "storage_type=parquet-duckdb\nlocation=" + location + "\n");
        assertThat(Cli.ok("count", Long.toString(BIG), "--config", config.toString()).out().strip())
                .isEqualTo("146831");
    }

    /** Reads rows as parquet-java's example groups. */
    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(InputFile file) {
            super(file, new PlainParquetConfiguration());
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    private static PointCloud points(long label) {
        try (Store store = PocaDuck.openExisting(Cli.config(location));
                Query query = store.query()) {
            return query.points(label);
        }
    }
}
