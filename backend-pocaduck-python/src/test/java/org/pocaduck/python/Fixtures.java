package org.pocaduck.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes small stores in the original's layout with DuckDB ({@code COPY ... TO (FORMAT parquet)}
 * and DuckDB index files), and copies the shared stores as users move them.
 */
final class Fixtures implements AutoCloseable {
    private final Connection connection;

    Fixtures() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    /**
     * Writes a Parquet file of the original: {@code rows} are SQL tuples
     * {@code (label BIGINT, block_id, [x, y, z, ...])}, or {@code (label, [x, ...])} without block.
     */
    void parquet(Path file, boolean withBlock, String... rows) throws SQLException, IOException {
        Files.createDirectories(file.getParent());
        String columns = withBlock ? "t(label, block_id, data)" : "t(label, data)";
        execute("COPY (SELECT CAST(label AS BIGINT) AS label" + (withBlock ? ", block_id" : "")
                + ", CAST(data AS BIGINT[]) AS data FROM (VALUES " + String.join(", ", rows) + ") " + columns
                + ") TO '" + file + "' (FORMAT parquet)");
    }

    /** Writes a unified or worker index: rows are {@code (label, 'block', 'file_path', point_count)}. */
    void blockIndex(Path db, String... rows) throws SQLException, IOException {
        index(db, "label UBIGINT, block_id VARCHAR, file_path VARCHAR, point_count UBIGINT", rows);
    }

    /** Writes an optimizer's index: rows are {@code (label, 'file_path', point_count)}, labels signed. */
    void optimizedIndex(Path db, String... rows) throws SQLException, IOException {
        index(db, "label BIGINT, file_path VARCHAR, point_count BIGINT", rows);
    }

    private void index(Path db, String columns, String... rows) throws SQLException, IOException {
        Files.createDirectories(db.getParent());
        execute("ATTACH '" + db + "' AS fixture");
        execute("CREATE TABLE fixture.point_cloud_index(" + columns + ")");
        execute("INSERT INTO fixture.point_cloud_index VALUES " + String.join(", ", rows));
        execute("DETACH fixture");
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** Copies the files under {@code from} whose relative path passes {@code keep}. */
    static Path copy(Path from, Path to, Predicate<String> keep) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = from.relativize(file).toString();
                if (keep.test(relative)) {
                    Path target = to.resolve(relative);
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + from + " to " + to, e);
        }
        return to;
    }
}
