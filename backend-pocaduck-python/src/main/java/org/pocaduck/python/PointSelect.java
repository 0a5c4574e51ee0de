package org.pocaduck.python;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.duckdb.DuckDBConnection;
import org.pocaduck.Labels;
import org.pocaduck.StorageException;
import org.pocaduck.support.Closeables;

/**
 * One read of a label's points from Parquet files of the original: every file once, with
 * DuckDB's {@code read_parquet} and {@code WHERE label = ?} (the files' INT64 label column holds
 * the uint64 bits, so the Java {@code long} binds as is), optionally only some blocks.
 *
 * <p>Columns: the block id (if {@code withBlock}), {@code len(data)}, then {@code data[1]} to
 * {@code data[D]} as BIGINT, so no JDBC array is built per point. Immutable.
 */
final class PointSelect {
    private final Path root;
    private final long label;
    private final List<Path> files;
    private final long bytes;
    private final int dimensions;
    private final boolean withBlock;
    private final List<String> blockIds;
    private final String sql;

    /**
     * @param root the store root, for messages
     * @param label the label
     * @param files the files to read, each once
     * @param dimensions D, the store's
     * @param withBlock true to select the block id first (only unoptimized files have it)
     * @param blockIds the blocks to keep, or empty for every block
     * @throws StorageException if a file cannot be found (naming it, its index and the path rule)
     */
    PointSelect(Path root, long label, Collection<DataFile> files, int dimensions, boolean withBlock,
            List<String> blockIds) {
        this.root = root;
        this.label = label;
        List<Path> paths = new ArrayList<>();
        long total = 0;
        for (DataFile file : files) {
            paths.add(file.require(root));
            total += file.bytes();
        }
        this.files = List.copyOf(paths);
        this.bytes = total;
        this.dimensions = dimensions;
        this.withBlock = withBlock;
        this.blockIds = List.copyOf(blockIds);
        StringBuilder sql = new StringBuilder("SELECT ");
        if (withBlock) {
            sql.append("block_id, ");
        }
        sql.append("len(data)");
        for (int d = 1; d <= dimensions; d++) {
            sql.append(", data[").append(d).append(']');
        }
        sql.append(" FROM read_parquet([");
        for (int i = 0; i < this.files.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(DuckDb.literal(this.files.get(i).toString()));
        }
        sql.append("]) WHERE label = ?");
        if (!this.blockIds.isEmpty()) {
            sql.append(" AND block_id IN (").append("?, ".repeat(this.blockIds.size() - 1)).append("?)");
        }
        this.sql = sql.toString();
    }

    /** @return true if there is no file to read */
    boolean isEmpty() {
        return files.isEmpty();
    }

    /** @return the statement */
    String sql() {
        return sql;
    }

    /** @return the statement as the timing records it */
    String describeSql() {
        return sql + " -- label=" + Labels.format(label) + (blockIds.isEmpty() ? "" : " blocks=" + blockIds);
    }

    /** @return D */
    int dimensions() {
        return dimensions;
    }

    /** @return the column of {@code len(data)}; the D values follow it */
    int lengthColumn() {
        return withBlock ? 2 : 1;
    }

    /** @return the files read */
    int fileCount() {
        return files.size();
    }

    /** @return the files' sizes in bytes (as stored; DuckDB skips row groups without the label) */
    long bytes() {
        return bytes;
    }

    /** Prepares the statement with the label and block ids bound; the caller closes it. */
    PreparedStatement prepare(DuckDBConnection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setLong(1, label);
            for (int i = 0; i < blockIds.size(); i++) {
                statement.setString(2 + i, blockIds.get(i));
            }
            return statement;
        } catch (SQLException e) {
            Closeables.closeQuietly(statement);
            throw e;
        }
    }

    /** @return what is read, for messages: the label, the files and the store */
    String describe() {
        return "label " + Labels.format(label) + " in " + files + " of pocaduck-python store " + root;
    }

    /** @return the failure of a row that is not a point of D values */
    StorageException badRow(String problem) {
        return new StorageException("Cannot read the points of " + describe() + ": " + problem);
    }

    /** @return the failure of the statement */
    StorageException failure(Exception e) {
        return new StorageException("Cannot read the points of " + describe() + ": " + e.getMessage(), e);
    }
}
