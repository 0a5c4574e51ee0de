package org.pocaduck.parquet.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.parquet.index.ConsolidatedIndex;
import org.pocaduck.parquet.index.IndexEntry;
import org.pocaduck.parquet.io.LocalStoreIO;
import org.pocaduck.parquet.io.Locks;

/**
 * The page-by-page read with cached page locations and dictionaries: labels whose rows span
 * several pages and row groups, per-block reads that skip whole pages between their runs,
 * dictionary-encoded and PLAIN columns; the store's files are read that way, not through the
 * parquet-java fallback, with one exact read per column; and a large read cut into pieces read
 * at once gives what the read in one piece gives.
 */
class TestDirectColumnReader {
    @TempDir
    Path dir;

    @Test
    void rowsAcrossPagesAndRowGroupsReadExactly() throws Exception {
        // 1 MiB row groups: 150,000 points of 4 longs make several groups of several 20,000-row pages.
        StorageConfig config = StorageConfig.builder("parquet-duckdb").location(dir.resolve("store"))
                .option("row_group_bytes", "1MiB").build();
        int big = 150_000;
        List<long[]> expected = new ArrayList<>();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor w = store.ingestor("w")) {
                for (int block = 0; block < 3; block++) {
                    long[] values = new long[big / 3 * 4];
                    for (int i = 0; i < big / 3; i++) {
                        long p = block * (big / 3L) + i;
                        values[4 * i] = p;
                        values[4 * i + 1] = p % 7;              // few values: dictionary pages
                        values[4 * i + 2] = p * 1_000_003L;     // all distinct: PLAIN past the dictionary limit
                        values[4 * i + 3] = -p;
                    }
                    w.write(7L, "b" + block, PointCloud.wrap(values, 4));
                }
                w.write(6L, "b0", PointCloud.ofRows(4, new long[] {1, 2, 3, 4}));
                w.write(8L, "b9", PointCloud.ofRows(4, new long[] {5, 6, 7, 8}));
                w.commit();
            }
            store.consolidate();
        }
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            PointCloud all = query.points(7L);
            assertThat(all.size()).isEqualTo(big);
            PointCloud sorted = all.sorted();
            for (int i = 0; i < big; i++) {
                assertThat(sorted.get(i, 0)).isEqualTo(i);
                assertThat(sorted.get(i, 1)).isEqualTo(i % 7);
                assertThat(sorted.get(i, 2)).isEqualTo(i * 1_000_003L);
                assertThat(sorted.get(i, 3)).isEqualTo(-i);
            }
            // The first and last blocks only: the pages of the middle block are skipped.
            PointCloud ends = query.points(7L, Set.of("b0", "b2")).sorted();
            assertThat(ends.size()).isEqualTo(2 * big / 3);
            assertThat(ends.get(big / 3 - 1, 0)).isEqualTo(big / 3 - 1);
            assertThat(ends.get(big / 3, 0)).isEqualTo(2L * big / 3);
            assertThat(query.points(6L)).isEqualTo(PointCloud.ofRows(4, new long[] {1, 2, 3, 4}));
        }
        // The same rows through a reader of this package: the data file is read page by page.
        LocalStoreIO io = new LocalStoreIO(dir.resolve("store"), new Locks());
        try (ConsolidatedIndex index = ConsolidatedIndex.open(io).orElseThrow()) {
            List<IndexEntry> entries = index.lookups().entries(8L, QueryTiming.start("parquet-duckdb", "points"));
            PointReader reader = new PointReader(io, PointSchema.defaultFor(4), 1, "parquet-duckdb");
            long[] out = new long[4];
            assertThat(reader.read(8L, entries, out, 0, QueryTiming.start("parquet-duckdb", "points"))).isEqualTo(1);
            assertThat(out).containsExactly(5, 6, 7, 8);
            assertThat(reader.readsDirectly(entries.getFirst().file())).isTrue();
            // Again, with the footer, page locations and dictionaries kept: one exact read per column.
            QueryTiming.Recorder again = QueryTiming.start("parquet-duckdb", "points");
            assertThat(reader.read(8L, entries, out, 0, again)).isEqualTo(1);
            QueryTiming timing = again.finish(1);
            assertThat(timing.readRequests()).isEqualTo(4);
            assertThat(timing.bytesRead()).isEqualTo(pageBytes(io.path(entries.getFirst().file()),
                    entries.getFirst().rowStart(), 4));
        }
    }

    @Test
    void aLargeReadInPiecesEqualsTheReadInOne() throws Exception {
        // 2 workers x 3 blocks of 50,000 points: 300,000 points in 2 files, cut into up to 4 pieces of 75,000,
        // so cuts fall inside runs and a piece spans both files.
        StorageConfig config = StorageConfig.builder("parquet-duckdb").location(dir.resolve("store"))
                .option("row_group_bytes", "1MiB").build();
        int perBlock = 50_000;
        try (Store store = PocaDuck.open(config)) {
            for (String worker : List.of("w0", "w1")) {
                try (Ingestor w = store.ingestor(worker)) {
                    for (int block = 0; block < 3; block++) {
                        long[] values = new long[perBlock * 3];
                        for (int i = 0; i < perBlock; i++) {
                            long p = ((worker.equals("w0") ? 0 : 3) + block) * (long) perBlock + i;
                            values[3 * i] = p;
                            values[3 * i + 1] = p % 64;
                            values[3 * i + 2] = p * 1_000_003L;
                        }
                        w.write(7L, worker + "-b" + block, PointCloud.wrap(values, 3));
                    }
                    w.write(9L, worker + "-b0", PointCloud.ofRows(3, new long[] {1, 2, 3}));
                    w.commit();
                }
            }
            store.consolidate();
        }
        int total = 6 * perBlock;
        assertThat((long) total).isGreaterThanOrEqualTo(2 * PointReader.MIN_PIECE_POINTS);
        LocalStoreIO io = new LocalStoreIO(dir.resolve("store"), new Locks());
        List<IndexEntry> entries;
        try (ConsolidatedIndex index = ConsolidatedIndex.open(io).orElseThrow()) {
            entries = index.lookups().entries(7L, QueryTiming.start("parquet-duckdb", "points"));
        }
        assertThat(entries.stream().map(IndexEntry::file).distinct()).hasSize(2);
        PointReader one = new PointReader(io, PointSchema.defaultFor(3), 1, "parquet-duckdb");
        long[] inOne = new long[total * 3];
        QueryTiming.Recorder oneTiming = QueryTiming.start("parquet-duckdb", "points");
        assertThat(one.read(7L, entries, inOne, 0, oneTiming)).isEqualTo(total);
        PointReader four = new PointReader(io, PointSchema.defaultFor(3), 4, "parquet-duckdb");
        long[] inFour = new long[total * 3 + 6];
        QueryTiming.Recorder fourTiming = QueryTiming.start("parquet-duckdb", "points");
        assertThat(four.read(7L, entries, inFour, 2, fourTiming)).isEqualTo(total);
        assertThat(Arrays.copyOfRange(inFour, 6, inFour.length)).isEqualTo(inOne);
        assertThat(PointCloud.wrap(inOne, 3).sorted().get(total - 1, 2)).isEqualTo((total - 1) * 1_000_003L);
        QueryTiming pieces = fourTiming.finish(total);
        assertThat(pieces.rowsRead()).isEqualTo(total);
        assertThat(pieces.filesTouched()).isEqualTo(2);
        assertThat(oneTiming.finish(total).filesTouched()).isEqualTo(2);
        // Through the API, on this machine's processors: the same points in the same order.
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.points(7L)).isEqualTo(PointCloud.wrap(inOne, 3));
        }
        // Closed, a reader still reads large reads, every piece on the calling thread.
        four.close();
        long[] afterClose = new long[total * 3];
        assertThat(four.read(7L, entries, afterClose, 0, QueryTiming.start("parquet-duckdb", "points")))
                .isEqualTo(total);
        assertThat(afterClose).isEqualTo(inOne);
        // A piece that fails fails the read, naming the file.
        Files.delete(io.path(entries.getLast().file()));
        PointReader failing = new PointReader(io, PointSchema.defaultFor(3), 4, "parquet-duckdb");
        assertThatThrownBy(() -> failing.read(7L, entries, new long[total * 3], 0,
                QueryTiming.start("parquet-duckdb", "points")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Cannot read points of label 7: data file ")
                .hasMessageEndingWith(" is missing");
        failing.close();
    }

    /**
     * @return the stored bytes of the pages holding a row in the last {@code dimensions} columns
     *     of a data file (the dimension columns), as its offset indexes give them
     */
    private static long pageBytes(Path file, long row, int dimensions) throws Exception {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            long groupStart = 0;
            for (BlockMetaData group : reader.getFooter().getBlocks()) {
                if (row < groupStart + group.getRowCount()) {
                    long bytes = 0;
                    List<ColumnChunkMetaData> columns = group.getColumns();
                    for (ColumnChunkMetaData column : columns.subList(columns.size() - dimensions, columns.size())) {
                        OffsetIndex pages = reader.readOffsetIndex(column);
                        int page = pages.getPageCount() - 1;
                        while (pages.getFirstRowIndex(page) > row - groupStart) {
                            page--;
                        }
                        bytes += pages.getCompressedPageSize(page);
                    }
                    return bytes;
                }
                groupStart += group.getRowCount();
            }
            throw new IllegalArgumentException("no row " + row + " in " + file);
        }
    }
}
