package org.pocaduck.parquet.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSelection;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.parquet.io.LocalStoreIO;
import org.pocaduck.parquet.io.Locks;
import org.pocaduck.parquet.io.StoreLayout;

/**
 * The memory-mapped label directory beside a consolidated index: built by consolidation, rebuilt
 * from the index when missing or built from another index, and answering exactly as the index's
 * SQL does, labels from 2^63 up and awkward block order included.
 */
class TestLabelDirectory {
    private static final long TWO_POW_63 = Long.MIN_VALUE;
    private static final long MAX = -1L;

    @TempDir
    Path dir;

    private StorageConfig write() {
        StorageConfig config = StorageConfig.builder("parquet-duckdb").location(dir.resolve("store")).build();
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor a = store.ingestor("a"); Ingestor b = store.ingestor("b")) {
                a.write(MAX, "9_0_0", PointCloud.ofRows(3, new long[] {1, 2, 3}));
                b.write(MAX, "10_0_0", PointCloud.ofRows(3, new long[] {4, 5, 6}, new long[] {4, 5, 6}));
                a.write(TWO_POW_63, "\uD83D\uDE00", PointCloud.ofRows(3, new long[] {7, 8, 9}));
                b.write(TWO_POW_63, "\uFF21", PointCloud.ofRows(3, new long[] {1, 1, 1}));
                a.write(5L, "b", PointCloud.ofRows(3, new long[] {5, 5, 5}));
                b.write(5L, "b", PointCloud.ofRows(3, new long[] {6, 6, 6}));
                a.commit();
                b.commit();
            }
            store.consolidate();
        }
        return config;
    }

    private Path index() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("store/index"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".duckdb")).findFirst().orElseThrow();
        }
    }

    /** The store's answers, with or without SQL per lookup. */
    private static void check(StorageConfig config, boolean throughSql) {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(5L, TWO_POW_63, MAX);
            assertThat(query.pointCount(MAX)).isEqualTo(3);
            assertThat(query.pointCount(TWO_POW_63)).isEqualTo(2);
            assertThat(query.pointCount(6L)).isZero();
            assertThat(query.blocks(MAX)).containsExactly("10_0_0", "9_0_0");
            assertThat(query.blocks(TWO_POW_63)).containsExactly("\uD83D\uDE00", "\uFF21");
            assertThat(query.blocks(6L)).isEmpty();
            assertThat(query.points(5L).sorted()).isEqualTo(PointCloud.ofRows(3, new long[] {5, 5, 5},
                    new long[] {6, 6, 6}));
            assertThat(query.points(MAX, java.util.Set.of("10_0_0")).size()).isEqualTo(2);
            if (throughSql) {
                assertThat(query.pointsTimed(MAX).timing().sql()).containsExactly(SqlLabelIndex.SQL_ROWS);
                assertThat(query.pointCountTimed(MAX).timing().sql()).containsExactly(SqlLabelIndex.SQL_POINT_COUNT);
                assertThat(query.blocksTimed(MAX).timing().sql()).containsExactly(SqlLabelIndex.SQL_BLOCKS);
            } else {
                assertThat(query.pointsTimed(MAX).timing().sql()).as("no SQL statement per lookup").isEmpty();
            }
        }
    }

    private static void check(StorageConfig config) {
        check(config, false);
    }

    @Test
    void builtByConsolidationAndRebuiltWhenMissingOrStale() throws IOException {
        StorageConfig config = write();
        Path index = index();
        Path directory = index.resolveSibling(index.getFileName() + StoreLayout.LABEL_DIRECTORY_SUFFIX);
        assertThat(directory).isRegularFile();
        check(config);

        Files.delete(directory);
        check(config);
        assertThat(directory).isRegularFile();

        // A directory of another index (another size) is not used: it is rebuilt.
        byte[] bytes = Files.readAllBytes(directory);
        bytes[16] ^= 1; // the index size recorded in the header
        Files.write(directory, bytes);
        check(config);
        assertThat(Files.readAllBytes(directory)[16]).isNotEqualTo(bytes[16]);

        // Garbage is rebuilt too.
        Files.write(directory, new byte[] {1, 2, 3});
        check(config);
    }

    @Test
    void aStoreWhereNoDirectoryCanBeWrittenAnswersThroughSql() throws IOException {
        StorageConfig config = write();
        Path index = index();
        Path directory = index.resolveSibling(index.getFileName() + StoreLayout.LABEL_DIRECTORY_SUFFIX);
        // A non-empty directory where the label directory goes: publishing it fails, as on a
        // read-only store, and every lookup goes to the DuckDB index.
        Files.delete(directory);
        Files.createDirectories(directory.resolve("in-the-way"));
        check(config, true);
        assertThat(directory).isDirectory();
    }

    @Test
    void theDirectoryAndSqlAnswerAlike() throws IOException {
        StorageConfig config = StorageConfig.builder("parquet-duckdb").location(dir.resolve("many")).build();
        // 3,000 labels over the whole uint64 range, up to 3 blocks and 2 workers each.
        java.util.Random random = new java.util.Random(7);
        long[] labels = new long[3_000];
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor a = store.ingestor("a"); Ingestor b = store.ingestor("b")) {
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = i % 3 == 0 ? random.nextLong() : i % 3 == 1 ? Long.MIN_VALUE + i : i;
                    for (int block = 0; block <= i % 3; block++) {
                        Ingestor w = (i + block) % 2 == 0 ? a : b;
                        w.write(labels[i], block + "_" + (i % 5) + "_0", PointCloud.ofRows(3,
                                new long[] {i, block, 1}, new long[] {i, block, 2}));
                    }
                }
                a.commit();
                b.commit();
            }
            store.consolidate();
        }
        LocalStoreIO io = new LocalStoreIO(dir.resolve("many"), new Locks());
        try (ConsolidatedIndex index = ConsolidatedIndex.open(io).orElseThrow()) {
            LabelIndex directory = index.lookups();
            LabelIndex sql = new SqlLabelIndex(index);
            assertThat(directory).isInstanceOf(LabelDirectory.class);
            long[] probes = java.util.Arrays.copyOf(labels, labels.length + 3);
            probes[labels.length] = 3_000;          // unknown
            probes[labels.length + 1] = -2L;        // unknown, above 2^63
            probes[labels.length + 2] = 0L;
            for (long label : probes) {
                QueryTiming.Recorder t = QueryTiming.start("parquet-duckdb", "test");
                assertThat(directory.pointCount(label, t)).as("points of %s", Long.toUnsignedString(label))
                        .isEqualTo(sql.pointCount(label, t));
                assertThat(directory.blocks(label, t)).isEqualTo(sql.blocks(label, t));
                assertThat(directory.entries(label, t)).isEqualTo(sql.entries(label, t));
            }
            assertThat(sql.pointCount(labels[2], QueryTiming.start("parquet-duckdb", "test"))).isEqualTo(6);
            long[] sorted = labels.clone();
            org.pocaduck.Labels.sortUnsigned(sorted);
            for (LabelSelection selection : List.of(LabelSelection.all(), LabelSelection.range(sorted[10], sorted[2000]),
                    LabelSelection.range(Long.MAX_VALUE - 5, Long.MIN_VALUE + 5),
                    LabelSelection.of(-2L, labels[5], labels[2999], 3_000))) {
                List<List<IndexEntry>> fromDirectory = runs(directory, selection);
                assertThat(runs(sql, selection)).as("runs of %s", selection).isEqualTo(fromDirectory);
                assertThat(fromDirectory).isNotEmpty().allSatisfy(label -> assertThat(label).isNotEmpty());
            }
            assertThat(runs(directory, LabelSelection.all()).stream().map(l -> l.getFirst().label()))
                    .containsExactly(java.util.Arrays.stream(sorted).boxed().toArray(Long[]::new));
            assertThat(sql.entries(-2L, QueryTiming.start("parquet-duckdb", "test"))).isEmpty();
        }
    }

    private static List<List<IndexEntry>> runs(LabelIndex index, LabelSelection selection) {
        List<List<IndexEntry>> runs = new java.util.ArrayList<>();
        try (LabelIndex.Runs labels = index.runs(selection, QueryTiming.start("parquet-duckdb", "test"))) {
            labels.forEachRemaining(runs::add);
        }
        return runs;
    }

    @Test
    void answersAsTheIndexSqlDoes() throws IOException {
        write();
        try (ConsolidatedIndex opened = ConsolidatedIndex.open(new LocalStoreIO(dir.resolve("store"), new Locks())).orElseThrow()) {
            LabelDirectory directory = (LabelDirectory) opened.lookups();
            QueryTiming.Recorder t = QueryTiming.start("parquet-duckdb", "test");
            assertThat(directory.entries(MAX, t)).extracting(IndexEntry::blockId).containsExactly("10_0_0", "9_0_0");
            assertThat(directory.entries(5L, t)).hasSize(2).allSatisfy(e -> assertThat(e.blockId()).isEqualTo("b"));
            assertThat(directory.entries(5L, t)).extracting(IndexEntry::pointCount).containsExactly(1L, 1L);
            assertThat(directory.entries(4L, t)).isEmpty();
            assertThat(directory.find(0L)).isEqualTo(-1);
            assertThat(List.of(directory.find(5L), directory.find(TWO_POW_63), directory.find(MAX)))
                    .containsExactly(0, 1, 2);
        }
    }
}
