package org.pocaduck.tabular;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.pocaduck.support.DuckDbSettings;

/**
 * Embedded DuckDB, one database file. DuckDB lets one process open a file at a time (FIELD-NOTES),
 * so every store of one file in this JVM shares one database instance through a JVM-wide registry,
 * reference-counted; each unit of work gets its own {@link DuckDBConnection#duplicate()} of it.
 * Bulk inserts use DuckDB's appender.
 */
final class DuckDbDialect implements Dialect {
    /**
     * Open databases by file, shared by every store of this JVM. Guarded by itself. JVM-wide on
     * purpose, not per factory: DuckDB lets a process open a database file once (FIELD-NOTES),
     * whichever factory asks.
     */
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private static final class Shared {
        final DuckDBConnection root;
        int users;

        Shared(DuckDBConnection root) {
            this.root = root;
        }
    }

    private final Path file;
    private final Shared shared;
    private boolean closed;

    private DuckDbDialect(Path file, Shared shared) {
        this.file = file;
        this.shared = shared;
    }

    /**
     * Opens (or joins) the database of a file.
     *
     * @param create true to create the file (and its directory) if missing
     * @return the dialect, or null if {@code create} is false and the file does not exist
     * @throws SQLException if DuckDB cannot open the file (for example another process holds it)
     */
    static DuckDbDialect open(Path file, boolean create) throws SQLException {
        synchronized (OPEN) {
            Shared shared = OPEN.get(file);
            if (shared == null) {
                if (!Files.exists(file)) {
                    if (!create) {
                        return null;
                    }
                    try {
                        Files.createDirectories(file.getParent());
                    } catch (java.io.IOException e) {
                        throw new SQLException("cannot create directory " + file.getParent() + ": " + e, e);
                    }
                }
                // A new database file gets a storage version DuckDB 1.2 and later read; results are
                // streamed, so a scan of the whole table (label summaries) holds one chunk at a time.
                Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file,
                        DuckDbSettings.base().compatibleStorage().streamResults().properties());
                shared = new Shared(connection.unwrap(DuckDBConnection.class));
                OPEN.put(file, shared);
            }
            shared.users++;
            return new DuckDbDialect(file, shared);
        }
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public Connection connect() throws SQLException {
        synchronized (OPEN) {
            if (closed) {
                throw new IllegalStateException("Cannot connect to DuckDB database " + file + ": the store is closed");
            }
            return shared.root.duplicate();
        }
    }

    @Override
    public boolean sharesConnections() {
        return false;
    }

    @Override
    public String qualifiedSchema(String schema) {
        return Dialect.quote(schema);
    }

    @Override
    public String tablesInSchemaQuery() {
        return "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name IN (?, ?, ?)";
    }

    @Override
    public String binaryType() {
        return "BLOB";
    }

    @Override
    public String bigintArrayType() {
        return "BIGINT[]";
    }

    @Override
    public void insert(Connection connection, TableLayout layout, List<StoredRow> rows) throws SQLException {
        DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
        try (DuckDBAppender appender = duck.createAppender(layout.schema(), layout.table())) {
            append(appender, rows);
        }
    }

    /**
     * Appends rows through DuckDB's appender, in the column order of
     * {@link TableLayout#POINT_COLUMNS} and then the payload.
     */
    static void append(DuckDBAppender appender, List<StoredRow> rows) throws SQLException {
        for (StoredRow row : rows) {
            appender.beginRow()
                    .append(row.label())
                    .append(row.blockId())
                    .append(row.chunk())
                    .append(row.pointCount())
                    .append(row.dimensions())
                    .append(row.payloadBytes())
                    .append(row.workerId())
                    .append(row.generation());
            if (row.payload() instanceof byte[] bytes) {
                appender.append(bytes);
            } else {
                appender.append((long[]) row.payload());
            }
            appender.endRow();
        }
    }

    @Override
    public boolean isDeleteUnsupported(SQLException e) {
        return false;
    }

    @Override
    public void close() {
        synchronized (OPEN) {
            if (closed) {
                return;
            }
            closed = true;
            if (--shared.users == 0) {
                OPEN.remove(file);
                try {
                    shared.root.close();
                } catch (SQLException e) {
                    // Closing releases the file; a failure here leaves nothing to recover.
                    org.slf4j.LoggerFactory.getLogger(DuckDbDialect.class)
                            .warn("Cannot close DuckDB database {}: {}", file, e.toString());
                }
            }
        }
    }
}
