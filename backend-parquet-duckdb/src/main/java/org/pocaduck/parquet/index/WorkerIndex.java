package org.pocaduck.parquet.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.pocaduck.PointSchema;
import org.pocaduck.parquet.format.WriterVersion;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;

/**
 * A worker run's DuckDB index, {@code index.duckdb} in the run directory. Written once, in bulk
 * with the DuckDB Appender, into a local staging file that is published when complete. Tables:
 * {@code point_cloud_index}, {@code files}, {@code meta} (see {@code docs/FORMAT.md}).
 */
public final class WorkerIndex {
    static final String CREATE_INDEX = "CREATE TABLE point_cloud_index(label UBIGINT NOT NULL, "
            + "block_id VARCHAR NOT NULL, file_path VARCHAR NOT NULL, row_start UBIGINT NOT NULL, "
            + "point_count UBIGINT NOT NULL)";
    static final String CREATE_FILES = "CREATE TABLE files(file_path VARCHAR NOT NULL, row_count UBIGINT NOT NULL, "
            + "byte_size UBIGINT NOT NULL)";
    static final String CREATE_META = "CREATE TABLE meta(key VARCHAR NOT NULL, value VARCHAR NOT NULL)";

    private WorkerIndex() {
    }

    /** Builds the index in a local staging file and publishes it as the run's {@code index.duckdb}. */
    public static void write(StoreIO io, String workerId, String run, PointSchema schema, IndexEntrySpill entries,
            List<DataFile> files, OptionalLong memoryLimitBytes) throws IOException {
        String target = StoreLayout.runIndex(workerId, run);
        Path temp = io.stagingFile(target);
        try {
            build(temp, workerId, run, schema, entries, files, memoryLimitBytes);
            io.publish(temp, target);
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + ".wal"));
        }
    }

    private static void build(Path temp, String workerId, String run, PointSchema schema, IndexEntrySpill entries,
            List<DataFile> files, OptionalLong memoryLimitBytes) throws IOException {
        try (DuckDBConnection connection = DuckDb.open(temp, false, memoryLimitBytes)) {
            DuckDb.execute(connection, CREATE_INDEX);
            DuckDb.execute(connection, CREATE_FILES);
            DuckDb.execute(connection, CREATE_META);
            try (DuckDBAppender appender = connection.createAppender("main", "point_cloud_index")) {
                entries.forEach((label, blockId, file, rowStart, pointCount) -> {
                    try {
                        appender.beginRow().append(label).append(blockId).append(files.get(file).file())
                                .append(rowStart).append(pointCount).endRow();
                    } catch (SQLException e) {
                        throw new IOException("cannot append index row: " + e.getMessage(), e);
                    }
                });
            }
            try (DuckDBAppender appender = connection.createAppender("main", "files")) {
                for (DataFile f : files) {
                    appender.beginRow().append(f.file()).append(f.rowCount()).append(f.byteSize()).endRow();
                }
            }
            try (DuckDBAppender appender = connection.createAppender("main", "meta")) {
                meta(appender, "format_version", Integer.toString(Manifest.FORMAT_VERSION));
                meta(appender, "worker_id", workerId);
                meta(appender, "run", run);
                meta(appender, "point_schema", schema == null ? "" : schema.toString());
                meta(appender, "writer_version", WriterVersion.get());
            }
            DuckDb.execute(connection, "CHECKPOINT");
        } catch (SQLException e) {
            throw new IOException("cannot write DuckDB index " + temp + ": " + e.getMessage(), e);
        }
    }

    private static void meta(DuckDBAppender appender, String key, String value) throws SQLException {
        appender.beginRow().append(key).append(value).endRow();
    }
}
