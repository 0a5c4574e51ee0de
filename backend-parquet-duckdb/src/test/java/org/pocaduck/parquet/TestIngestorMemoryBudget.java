package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

/**
 * An ingestor's memory budget on this backend: its buffer flushes to a new Parquet file when half
 * the budget is full, so the run's files follow the budget, and every point is kept.
 */
class TestIngestorMemoryBudget {
    @TempDir
    Path dir;

    /** Writes 16 labels of 50,000 points (D = 3, 1.2 MB each, 19.2 MB in all) and commits. */
    private static void writeRun(Ingestor ingestor) {
        for (long label = 1; label <= 16; label++) {
            long[] values = new long[50_000 * 3];
            for (int i = 0; i < values.length; i++) {
                values[i] = label * 1_000_003L + i;
            }
            ingestor.write(label, "0_0_0", PointCloud.wrap(values, 3));
        }
        ingestor.commit();
    }

    private static List<Path> parquetFiles(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store.resolve("workers"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    @Test
    void aFourMiBBudgetWritesAFileEveryTwoMiBAndKeepsEveryPoint() throws IOException {
        Path budgeted = dir.resolve("budgeted");
        Path unbounded = dir.resolve("unbounded");
        for (Path location : List.of(budgeted, unbounded)) {
            try (Store store = PocaDuck.open(StorageConfig.builder("parquet-duckdb").location(location).build());
                    Ingestor ingestor = location == budgeted ? store.ingestor("w", 4L << 20) : store.ingestor("w")) {
                writeRun(ingestor);
            }
        }
        // 19.2 MB through a 2 MiB buffer: a file whenever the next 1.2 MB cloud would pass it.
        assertThat(parquetFiles(budgeted)).hasSize(16);
        assertThat(parquetFiles(unbounded)).hasSize(1);
        try (Store a = PocaDuck.openExisting(StorageConfig.builder("parquet-duckdb").location(budgeted).build());
                Store b = PocaDuck.openExisting(StorageConfig.builder("parquet-duckdb").location(unbounded).build())) {
            a.consolidate(16L << 20);
            b.consolidate();
            try (Query qa = a.query(); Query qb = b.query()) {
                for (long label = 1; label <= 16; label++) {
                    assertThat(qa.points(label)).isEqualTo(qb.points(label));
                    assertThat(qa.pointCount(label)).isEqualTo(50_000);
                }
            }
        }
    }
}
