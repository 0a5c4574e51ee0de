package org.pocaduck.parquet.index;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.pocaduck.support.DuckDbSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens DuckDB databases with the settings this backend relies on ({@link DuckDbSettings}). */
public final class DuckDb {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDb.class);
    private static final AtomicBoolean LOADING = new AtomicBoolean();

    private DuckDb() {
    }

    /**
     * Loads DuckDB's native library on a background daemon thread, once per JVM, and returns at
     * once. The JDBC driver extracts its native library (tens of MB) from the jar and loads it on
     * first use (0.3-0.4 s measured on a 2-core machine); a worker needs DuckDB only when it
     * commits its index, so starting the load when the worker starts takes that time off the
     * commit. A failure here is only logged: the real open reports it.
     */
    public static void loadInBackground() {
        if (!LOADING.compareAndSet(false, true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            try (Connection ignored = openInMemory()) {
                LOG.debug("DuckDB native library loaded");
            } catch (SQLException | RuntimeException | LinkageError e) {
                LOG.debug("Could not load DuckDB in the background: {}", e.toString());
            }
        }, "pocaduck-duckdb-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Opens a database file.
     *
     * @param file the database file
     * @param readOnly true to open it read-only (many processes may then read it at once); false
     *     creates it if missing, in {@link DuckDbSettings#STORAGE_VERSION}
     */
    public static DuckDBConnection open(Path file, boolean readOnly) throws SQLException {
        return open(file, readOnly, OptionalLong.empty());
    }

    /**
     * Opens a database file with a memory limit.
     *
     * @param file the database file
     * @param readOnly as {@link #open(Path, boolean)}
     * @param memoryLimitBytes DuckDB's {@code memory_limit} (whole MiB, at least 1), beyond which it
     *     spills to its temporary directory ({@code <file>.tmp}), or empty for DuckDB's default
     */
    public static DuckDBConnection open(Path file, boolean readOnly, OptionalLong memoryLimitBytes)
            throws SQLException {
        return open(file, readOnly, memoryLimitBytes, false);
    }

    /**
     * Opens a database file with a memory limit, optionally streaming query results.
     *
     * @param streamResults true to fetch result sets chunk by chunk as they are read (see
     *     {@link DuckDbSettings#streamResults()}); every connection of the database then streams,
     *     so each must read a result to its end before running another statement
     */
    public static DuckDBConnection open(Path file, boolean readOnly, OptionalLong memoryLimitBytes,
            boolean streamResults) throws SQLException {
        DuckDbSettings settings = DuckDbSettings.base().threads(1);
        settings = readOnly ? settings.readOnly() : settings.compatibleStorage();
        if (streamResults) {
            settings = settings.streamResults();
        }
        if (memoryLimitBytes.isPresent()) {
            settings = settings.memoryLimit(memoryLimitBytes.getAsLong());
        }
        Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(),
                settings.properties());
        return connection.unwrap(DuckDBConnection.class);
    }

    /** Opens an in-memory database (for reading Parquet files with DuckDB's own reader). */
    public static DuckDBConnection openInMemory() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:", DuckDbSettings.base().properties())
                .unwrap(DuckDBConnection.class);
    }

    public static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Quotes a string as a SQL literal. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
