package org.pocaduck.parquet.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.parquet.ParquetDuckdbBackendFactory;
import org.pocaduck.parquet.Settings;
import org.pocaduck.parquet.format.ZstdCodecs;
import org.pocaduck.parquet.index.DuckDb;

/**
 * The data files {@link PointFileWriter} encodes itself, read back by two independent readers:
 * DuckDB's {@code read_parquet} (every row, in file order) and parquet-java (footer, statistics
 * and page index), and through the backend's own query path. The rows are chosen to reach every
 * encoding path: labels at both ends of the unsigned range, runs of every length around the RLE
 * threshold and across page boundaries, a single-value dictionary (bit width 0), and enough
 * distinct labels, block ids and attribute values that each of those columns outgrows its
 * dictionary and falls back to PLAIN pages part-way through a column chunk.
 */
class TestPointFileWriter {
    private static final PointSchema SCHEMA = PointSchema.parse("x,y,z,sv");
    private static final int DIMENSIONS = 4;
    private static final long TOP_LABEL = -1L;
    private static final long MIDDLE_LABEL = Long.MIN_VALUE;
    /** More distinct values than a 1 MiB dictionary holds as 8-byte longs (131,072). */
    private static final int MANY_LABELS = 150_000;

    /** One run: {@code count} rows of one label and block, D values each. */
    private record Run(long label, String block, long[] values) {
        int count() {
            return values.length / DIMENSIONS;
        }
    }

    @TempDir
    static Path tempDir;

    private static List<Run> runs;
    private static long rows;

    @BeforeAll
    static void makeRows() {
        Random random = new Random(20261121L);
        runs = new ArrayList<>();
        // Label 0: runs of lengths around the RLE threshold (16) and page size (20,000), z constant
        // over long stretches, x stepping, a supervoxel id repeated.
        int[] lengths = {1, 7, 8, 9, 15, 16, 17, 23, 19_999, 40_001, 3};
        for (int i = 0; i < lengths.length; i++) {
            long[] values = new long[lengths[i] * DIMENSIONS];
            for (int p = 0; p < lengths[i]; p++) {
                values[p * DIMENSIONS] = p % 64;
                values[p * DIMENSIONS + 1] = p / 64 % 64;
                values[p * DIMENSIONS + 2] = p / 4096 + i;
                values[p * DIMENSIONS + 3] = 7_000_000_000L + (p / 100);
            }
            runs.add(new Run(0, String.format("%d_0_0", i), values));
        }
        // Many small labels, each in its own long-named block, with a random 64-bit attribute.
        for (int label = 1; label <= MANY_LABELS; label++) {
            int count = 1 + label % 3;
            long[] values = new long[count * DIMENSIONS];
            for (int p = 0; p < count; p++) {
                values[p * DIMENSIONS] = label % 250;
                values[p * DIMENSIONS + 1] = label / 250 % 250;
                values[p * DIMENSIONS + 2] = p;
                values[p * DIMENSIONS + 3] = random.nextLong();
            }
            runs.add(new Run(label, String.format("block_%09d_of_a_long_named_grid", label), values));
        }
        // 2^63 and 2^64-1, negative as signed longs, on the last page with small labels.
        for (long label : new long[] {MIDDLE_LABEL, TOP_LABEL}) {
            long[] values = new long[5_000 * DIMENSIONS];
            Arrays.fill(values, 249);
            runs.add(new Run(label, "3_3_3", values));
        }
        rows = runs.stream().mapToLong(Run::count).sum();
    }

    private static Path write(String name, long rowGroupBytes) throws Exception {
        Path file = tempDir.resolve(name);
        try (PointFileWriter writer = new PointFileWriter(file, SCHEMA, rowGroupBytes, 3)) {
            for (Run run : runs) {
                Binary block = Binary.fromConstantByteArray(run.block().getBytes(StandardCharsets.UTF_8));
                // Halves written separately must join into one run.
                int half = run.count() / 2;
                PointCloud points = PointCloud.wrap(run.values(), DIMENSIONS);
                writer.writeRun(run.label(), block, points.slice(0, half));
                writer.writeRun(run.label(), block, points.slice(half, run.count()));
            }
        }
        return file;
    }

    private static void assertDuckDbReadsEveryRow(Path file) throws Exception {
        try (Connection db = DuckDb.openInMemory(); PreparedStatement select = db.prepareStatement(
                "SELECT CAST(label AS VARCHAR), block_id, x, y, z, sv FROM read_parquet(?, file_row_number = true)"
                        + " ORDER BY file_row_number")) {
            select.setString(1, file.toString());
            try (ResultSet rs = select.executeQuery()) {
                long row = 0;
                for (Run run : runs) {
                    for (int p = 0; p < run.count(); p++, row++) {
                        assertThat(rs.next()).as("row %d", row).isTrue();
                        assertThat(rs.getString(1)).as("label of row %d", row).isEqualTo(Labels.format(run.label()));
                        assertThat(rs.getString(2)).as("block of row %d", row).isEqualTo(run.block());
                        for (int d = 0; d < DIMENSIONS; d++) {
                            assertThat(rs.getLong(3 + d)).as("dimension %d of row %d", d, row)
                                    .isEqualTo(run.values()[p * DIMENSIONS + d]);
                        }
                    }
                }
                assertThat(rs.next()).as("rows beyond %d", rows).isFalse();
            }
        }
    }

    private static long labelOfRow(long row) {
        for (Run run : runs) {
            if (row < run.count()) {
                return run.label();
            }
            row -= run.count();
        }
        throw new IllegalArgumentException("no row " + row);
    }

    /** A column index bound: the value PLAIN-encoded, little-endian. */
    private static long plainLong(ByteBuffer bound) {
        return bound.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static Set<Encoding> encodings(BlockMetaData group, int column) {
        return EnumSet.copyOf(group.getColumns().get(column).getEncodings());
    }

    @Test
    void oneRowGroupFallsBackToPlainWhereDictionariesOverflow() throws Exception {
        Path file = write("one-group.parquet", Settings.DEFAULT_ROW_GROUP_BYTES);
        assertDuckDbReadsEveryRow(file);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new ZstdCodecs(3)).build())) {
            List<BlockMetaData> groups = reader.getFooter().getBlocks();
            assertThat(groups).hasSize(1);
            BlockMetaData group = groups.getFirst();
            assertThat(group.getRowCount()).isEqualTo(rows);
            // label, block_id and sv outgrow 1 MiB dictionaries; x, y and z never do.
            for (int column : new int[] {0, 1, 5}) {
                assertThat(encodings(group, column)).as("column %d", column)
                        .contains(Encoding.PLAIN_DICTIONARY, Encoding.PLAIN);
            }
            for (int column : new int[] {2, 3, 4}) {
                assertThat(encodings(group, column)).as("column %d", column).contains(Encoding.PLAIN_DICTIONARY)
                        .doesNotContain(Encoding.PLAIN);
            }
            // Label statistics follow the unsigned order of UINT_64.
            ColumnChunkMetaData labels = group.getColumns().getFirst();
            assertThat(labels.getStatistics().genericGetMin()).isEqualTo(0L);
            assertThat(labels.getStatistics().genericGetMax()).isEqualTo(TOP_LABEL);
            // Pages of 20,000 rows with the same boundaries in every column.
            long pages = (rows + PointFileWriter.PAGE_ROWS - 1) / PointFileWriter.PAGE_ROWS;
            for (ColumnChunkMetaData chunk : group.getColumns()) {
                OffsetIndex offsets = reader.readOffsetIndex(chunk);
                assertThat(offsets.getPageCount()).as("pages of %s", chunk.getPath()).isEqualTo((int) pages);
                for (int page = 0; page < offsets.getPageCount(); page++) {
                    assertThat(offsets.getFirstRowIndex(page)).isEqualTo((long) page * PointFileWriter.PAGE_ROWS);
                }
            }
            // The last page holds small labels, 2^63 and 2^64-1: its bounds are unsigned ones.
            ColumnIndex labelPages = reader.readColumnIndex(labels);
            int lastPage = (int) pages - 1;
            assertThat(plainLong(labelPages.getMinValues().get(0))).isEqualTo(0L);
            assertThat(plainLong(labelPages.getMinValues().get(lastPage)))
                    .isEqualTo(labelOfRow((long) lastPage * PointFileWriter.PAGE_ROWS)).isPositive();
            assertThat(plainLong(labelPages.getMaxValues().get(lastPage))).isEqualTo(TOP_LABEL);
        }
    }

    @Test
    void smallRowGroupsEachCarryTheirOwnDictionaries() throws Exception {
        Path file = write("small-groups.parquet", 1L << 20);
        assertDuckDbReadsEveryRow(file);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new ZstdCodecs(3)).build())) {
            List<BlockMetaData> groups = reader.getFooter().getBlocks();
            assertThat(groups.size()).isGreaterThan(2);
            assertThat(groups.stream().mapToLong(BlockMetaData::getRowCount).sum()).isEqualTo(rows);
            for (BlockMetaData group : groups.subList(0, groups.size() - 1)) {
                assertThat(group.getRowCount() % PointFileWriter.PAGE_ROWS).isZero();
            }
        }
    }

    @Test
    void storeReturnsEveryLabelsPointsFromDictionaryAndPlainPages() {
        StorageConfig config = StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE)
                .location(tempDir.resolve("store")).schema(SCHEMA).option(Settings.CACHE_BYTES, "0").build();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor ingestor = store.ingestor("w0")) {
                for (Run run : runs) {
                    ingestor.write(run.label(), run.block(), PointCloud.wrap(run.values(), DIMENSIONS));
                }
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.stats().points()).isEqualTo(rows);
                List<Run> label0 = runs.stream().filter(r -> r.label() == 0).toList();
                assertThat(query.points(0).sorted()).isEqualTo(PointCloud.concat(DIMENSIONS,
                        label0.stream().map(r -> PointCloud.wrap(r.values(), DIMENSIONS)).toList()).sorted());
                // A sample of the small labels (a query each), from dictionary pages and, past the
                // sv dictionary's overflow, PLAIN ones; and both large labels.
                for (Run run : runs) {
                    if (run.label() != 0 && (Long.remainderUnsigned(run.label(), 997) == 0
                            || Long.compareUnsigned(run.label(), MANY_LABELS - 20) > 0)) {
                        assertThat(query.points(run.label())).as("label %s", Labels.format(run.label()))
                                .isEqualTo(PointCloud.wrap(run.values(), DIMENSIONS));
                    }
                }
            }
        }
    }
}
