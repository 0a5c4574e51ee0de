package org.pocaduck.parquet.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.duckdb.DuckDBConnection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;
import org.pocaduck.StoreStats;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;
import org.pocaduck.support.Closeables;
import org.pocaduck.support.LabelSummaryRows;

/**
 * The consolidated index a query reads: the DuckDB file {@code index/CURRENT} named when the
 * query opened (a local copy on S3), opened read-only with its results streamed, plus its
 * {@link LabelIndex} for per-label lookups (the label directory where there is one, else SQL).
 * Whole-index reads (label summaries, counts, totals) run SQL: each on a pooled connection of
 * its own, so many threads may read at once. Thread-safe; {@link #close} releases the
 * connections.
 */
public final class ConsolidatedIndex implements AutoCloseable {
    /** The consolidator writes label_summary sorted by label; a plain scan returns it in that order. */
    static final String SQL_LABEL_SUMMARIES = "SELECT label, point_count, block_count FROM label_summary";
    static final String SQL_LABEL_COUNT = "SELECT labels FROM summary";
    static final String SQL_STATS = "SELECT labels, points, label_block_pairs, files, bytes FROM summary";

    private final Path file;
    private final DuckDBConnection base;
    private final PointSchema schema;
    private final LabelIndex lookups;
    private final ConcurrentLinkedQueue<Session> pool = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private ConsolidatedIndex(Path file, DuckDBConnection base, PointSchema schema, LabelDirectory directory) {
        this.file = file;
        this.base = base;
        this.schema = schema;
        this.lookups = directory != null ? directory : new SqlLabelIndex(this);
    }

    /**
     * Opens the index {@code index/CURRENT} names, building its label directory first if it has
     * none (see {@link LabelDirectory#open}).
     *
     * @return the index, or empty if the store was never consolidated
     * @throws StorageException if {@code CURRENT} names a missing index, or the index is
     *     unreadable, of another format version, or not sorted by label
     */
    public static Optional<ConsolidatedIndex> open(StoreIO io) {
        String name;
        try {
            StoreIO.Versioned current = io.read(StoreLayout.indexCurrent());
            name = current == null ? null : current.text();
        } catch (IOException e) {
            throw new StorageException("Cannot open a query of store " + io.root() + ": cannot read "
                    + io.describe(StoreLayout.indexCurrent()) + ": " + e.getMessage(), e);
        }
        if (name == null) {
            return Optional.empty();
        }
        Path index;
        try {
            index = io.localFile(StoreLayout.index(name));
        } catch (NoSuchFileException e) {
            throw new StorageException("Cannot open a query of store " + io.root() + ": the consolidated index "
                    + io.describe(StoreLayout.index(name)) + " named by " + io.describe(StoreLayout.indexCurrent())
                    + " is missing", e);
        } catch (IOException e) {
            throw new StorageException("Cannot open a query of store " + io.root() + ": cannot read the consolidated "
                    + "index: " + e.getMessage(), e);
        }
        DuckDBConnection connection;
        try {
            // Streamed: a whole-index read (label summaries, the directory's build) holds a chunk
            // of rows at a time, not the whole result in native memory.
            connection = DuckDb.open(index, true, java.util.OptionalLong.empty(), true);
        } catch (SQLException e) {
            throw new StorageException("Cannot open the consolidated index " + index + ": it is unreadable or "
                    + "corrupt: " + e.getMessage(), e);
        }
        try {
            PointSchema schema = readMeta(connection, index);
            LabelDirectory directory = LabelDirectory.open(io, name, index, connection);
            return Optional.of(new ConsolidatedIndex(index, connection, schema, directory));
        } catch (SQLException | RuntimeException e) {
            Closeables.closeQuietly(connection);
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("Cannot open the consolidated index " + index + ": it is not a valid "
                    + "index: " + e.getMessage(), e);
        }
    }

    /** @return the point schema recorded in the index, or null if it records none */
    private static PointSchema readMeta(DuckDBConnection connection, Path index) throws SQLException {
        String version = null;
        String schema = null;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "format_version" -> version = rs.getString(2);
                    case "point_schema" -> schema = rs.getString(2);
                    default -> {
                    }
                }
            }
        }
        if (!Integer.toString(Manifest.FORMAT_VERSION).equals(version)) {
            throw new StorageException("Cannot open the consolidated index " + index + ": it has format version '"
                    + version + "', this library reads " + Manifest.FORMAT_VERSION);
        }
        return schema == null || schema.isEmpty() ? null : PointSchema.parse(schema);
    }

    /** @return the point schema the index records, if any */
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(schema);
    }

    /** @return the per-label lookups: the label directory, or SQL where there is none */
    public LabelIndex lookups() {
        return lookups;
    }

    /** One pooled connection with the statements prepared on it; used by one thread at a time. */
    static final class Session {
        private final DuckDBConnection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        private Session(DuckDBConnection connection) {
            this.connection = connection;
        }

        /** @return the statement prepared on this session's connection (once) */
        PreparedStatement prepared(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }
    }

    /** Work on one pooled session. */
    @FunctionalInterface
    interface SessionWork<T> {
        T run(Session session) throws SQLException;
    }

    /**
     * Runs index work on a pooled session; a session whose work failed is closed, not pooled
     * (DuckDB closes a statement after any failure).
     *
     * @param what what the caller does, for the message ("count points of label 5")
     * @param sql the statement, for the message
     * @throws StorageException if DuckDB fails, naming the index file and the statement
     */
    <T> T onSession(String what, String sql, SessionWork<T> work) {
        try {
            Session session = pool.poll();
            if (session == null) {
                session = new Session(base.duplicate());
            }
            boolean ok = false;
            try {
                T result = work.run(session);
                ok = true;
                return result;
            } finally {
                if (closed || !ok) {
                    Closeables.closeQuietly(session.connection);
                } else {
                    pool.offer(session);
                }
            }
        } catch (SQLException e) {
            throw failure(what, sql, e);
        }
    }

    /** A statement streaming its rows on a connection of its own; closing it closes all three. */
    record OpenRows(DuckDBConnection connection, PreparedStatement statement, ResultSet rows) implements AutoCloseable {
        @Override
        public void close() {
            Closeables.closeQuietly(rows, statement, connection);
        }
    }

    /**
     * Runs a statement on a connection of its own, its results streamed as they are read.
     *
     * @param parameters the statement's parameters, bound as strings
     * @throws StorageException naming the index and the statement if it fails
     */
    OpenRows openRows(String what, String sql, String... parameters) {
        DuckDBConnection connection = null;
        PreparedStatement statement = null;
        try {
            connection = base.duplicate();
            statement = connection.prepareStatement(sql);
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            return new OpenRows(connection, statement, statement.executeQuery());
        } catch (SQLException e) {
            Closeables.closeQuietly(statement, connection);
            throw failure(what, sql, e);
        }
    }

    /** @return the failure of index work, naming the index file and the statement */
    StorageException failure(String what, String sql, Exception e) {
        return new StorageException("Cannot " + what + ": the index " + file + " failed on '" + sql + "': "
                + e.getMessage(), e);
    }

    /**
     * @param backend the storage type, for the timing
     * @return every label's summary in unsigned label order, streamed from a connection of its own
     * @throws StorageException if the statement fails
     */
    public LabelSummaries labelSummaries(String backend) {
        QueryTiming.Recorder timing = QueryTiming.start(backend, "labelSummaries").sql(SQL_LABEL_SUMMARIES);
        DuckDBConnection connection = null;
        Statement statement = null;
        try {
            connection = base.duplicate();
            statement = connection.createStatement();
            ResultSet rs = statement.executeQuery(SQL_LABEL_SUMMARIES);
            timing.indexLookupDone();
            return new LabelSummaryRows(timing, rs, QueryTiming.Recorder::indexLookupDone, this::summariesFailure,
                    statement, connection);
        } catch (SQLException e) {
            Closeables.closeQuietly(statement, connection);
            throw summariesFailure(e);
        }
    }

    private StorageException summariesFailure(Exception e) {
        return new StorageException("Cannot stream label summaries: the index " + file + " failed on '"
                + SQL_LABEL_SUMMARIES + "': " + e.getMessage(), e);
    }

    /** @return the number of labels in the index */
    public long labelCount() {
        return onSession("count labels", SQL_LABEL_COUNT, session -> {
            try (ResultSet rs = session.prepared(SQL_LABEL_COUNT).executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** @return the index's totals; its files and bytes include the index file itself */
    public StoreStats stats() {
        return onSession("read totals", SQL_STATS, session -> {
            try (ResultSet rs = session.prepared(SQL_STATS).executeQuery()) {
                rs.next();
                long indexBytes;
                try {
                    indexBytes = Files.size(file);
                } catch (IOException e) {
                    throw new StorageException("Cannot read totals: cannot read the size of " + file + ": " + e, e);
                }
                return new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) + 1,
                        rs.getLong(5) + indexBytes);
            }
        });
    }

    /** Closes the pooled connections and the database; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Session session;
        while ((session = pool.poll()) != null) {
            Closeables.closeQuietly(session.connection);
        }
        Closeables.closeQuietly(base);
    }
}
