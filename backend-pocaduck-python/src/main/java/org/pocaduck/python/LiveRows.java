package org.pocaduck.python;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;
import org.pocaduck.PointCloud;
import org.pocaduck.QueryTiming;
import org.pocaduck.support.Closeables;

/**
 * A {@link PointSelect} running on a connection of its own, read a chunk at a time from the open
 * (streaming) result set, so memory holds one chunk however many points the label has. Releases
 * its connection at the end of the rows or on {@link #close()}. Not thread-safe: one stream.
 */
final class LiveRows implements AutoCloseable {
    private final PointSelect select;
    private final QueryTiming.Recorder timing;
    private DuckDBConnection connection;
    private PreparedStatement statement;
    private ResultSet rows;
    /** True if {@code rows} stands on a row not yet taken. */
    private boolean pending;
    private boolean done;

    /**
     * Starts the statement (nothing runs for a select without files).
     *
     * @throws SQLException if it cannot start; nothing is left open then
     */
    LiveRows(PythonStoreIndex index, PointSelect select, QueryTiming.Recorder timing) throws SQLException {
        this.select = select;
        this.timing = timing;
        if (select.isEmpty()) {
            done = true;
            return;
        }
        timing.sql(select.describeSql()).files(select.fileCount()).bytes(select.bytes());
        try {
            connection = index.connect();
            statement = select.prepare(connection);
            rows = statement.executeQuery();
        } catch (SQLException e) {
            close();
            throw e;
        }
        timing.dataReadDone();
    }

    /**
     * Moves to the next row unless already on one.
     *
     * @return false at the end (the connection is then released)
     */
    private boolean advance() throws SQLException {
        if (!pending && !done) {
            pending = rows.next();
            if (!pending) {
                close();
            }
        }
        return pending;
    }

    /**
     * Reads up to {@code maxPoints} points.
     *
     * @param expectedPoints the points to make room for at first (the index's count, for a read
     *     of everything), at most {@code maxPoints} are used
     * @return the points, or null at the end of the rows
     * @throws IllegalArgumentException if the points exceed one array
     */
    PointCloud take(int maxPoints, long expectedPoints) throws SQLException {
        PointBuffer chunk = null;
        while ((chunk == null || chunk.size() < maxPoints) && advance()) {
            if (chunk == null) {
                chunk = new PointBuffer(select, Math.min(maxPoints, expectedPoints));
            }
            chunk.add(rows);
            pending = false;
        }
        if (chunk == null) {
            return null;
        }
        timing.dataReadDone().rows(chunk.size());
        return chunk.toCloud();
    }

    /** Releases the result set, statement and connection. Idempotent. */
    @Override
    public void close() {
        done = true;
        pending = false;
        Closeables.closeQuietly(rows, statement, connection);
        rows = null;
        statement = null;
        connection = null;
    }
}
