package org.pocaduck.parquet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens DuckDB databases with the settings this backend relies on. */
final class DuckDb {
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
    static void loadInBackground() {
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
     * The storage version of every DuckDB file this backend creates: DuckDB 1.2 and later read it
     * (the Python original pins duckdb 1.2.2); DuckDB 2.0's default (storage version 69) is
     * unreadable by every 1.x engine ("created with a newer version of DuckDB"). DuckDB's
     * {@code storage_compatibility_version} setting; docs/FORMAT.md lists which engines read a store.
     */
    static final String STORAGE_VERSION = "v1.2.0";

    /**
     * Opens a database file.
     *
     * @param file the database file
     * @param readOnly true to open it read-only (many processes may then read it at once); false
     *     creates it if missing, in {@link #STORAGE_VERSION}
     */
    static DuckDBConnection open(Path file, boolean readOnly) throws SQLException {
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
    static DuckDBConnection open(Path file, boolean readOnly, OptionalLong memoryLimitBytes) throws SQLException {
        return open(file, readOnly, memoryLimitBytes, false);
    }

    /**
     * Opens a database file with a memory limit, optionally streaming query results.
     *
     * @param streamResults true to have result sets fetched chunk by chunk as they are read
     *     (DuckDB's {@code jdbc_stream_results}) instead of materialized whole in native memory; a
     *     statement's results must then be read before the connection runs another, so only a
     *     connection one thread uses for one scan at a time takes it
     */
    static DuckDBConnection open(Path file, boolean readOnly, OptionalLong memoryLimitBytes, boolean streamResults)
            throws SQLException {
        Properties properties = new Properties();
        if (streamResults) {
            properties.setProperty("jdbc_stream_results", "true");
        }
        memoryLimitBytes.ifPresent(bytes -> properties.setProperty("memory_limit", Math.max(1, bytes >> 20) + "MiB"));
        if (readOnly) {
            properties.setProperty("duckdb.read_only", "true");
        } else {
            properties.setProperty("storage_compatibility_version", STORAGE_VERSION);
        }
        // FIELD-NOTES: extensions cannot be downloaded here; fail fast instead of waiting.
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        properties.setProperty("threads", "1");
        Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), properties);
        return connection.unwrap(DuckDBConnection.class);
    }

    /** Opens an in-memory database (for reading Parquet files with DuckDB's own reader). */
    static DuckDBConnection openInMemory() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        return DriverManager.getConnection("jdbc:duckdb:", properties).unwrap(DuckDBConnection.class);
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Quotes a string as a SQL literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
