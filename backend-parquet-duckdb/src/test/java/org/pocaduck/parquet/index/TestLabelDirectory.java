package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

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

    private static void check(StorageConfig config) {
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
            assertThat(query.pointsTimed(MAX).timing().sql()).as("no SQL statement per lookup").isEmpty();
        }
    }

    @Test
    void builtByConsolidationAndRebuiltWhenMissingOrStale() throws IOException {
        StorageConfig config = write();
        Path index = index();
        Path directory = LabelDirectory.fileFor(index);
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
    void answersAsTheIndexSqlDoes() throws IOException, SQLException {
        write();
        Path index = index();
        try (DuckDBConnection connection = DuckDb.open(index, true)) {
            LabelDirectory directory = LabelDirectory.open(index, connection);
            assertThat(directory).isNotNull();
            assertThat(directory.entries(MAX)).extracting(IndexEntry::blockId).containsExactly("10_0_0", "9_0_0");
            assertThat(directory.entries(5L)).hasSize(2).allSatisfy(e -> assertThat(e.blockId()).isEqualTo("b"));
            assertThat(directory.entries(5L)).extracting(IndexEntry::pointCount).containsExactly(1L, 1L);
            assertThat(directory.entries(4L)).isEmpty();
            assertThat(directory.find(0L)).isEqualTo(-1);
            assertThat(List.of(directory.find(5L), directory.find(TWO_POW_63), directory.find(MAX)))
                    .containsExactly(0, 1, 2);
        }
    }
}
