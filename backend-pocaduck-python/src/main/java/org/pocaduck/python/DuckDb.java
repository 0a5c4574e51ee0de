package org.pocaduck.python;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/** Opens the in-memory DuckDB database a store reads through, and small SQL helpers. */
final class DuckDb {
    private DuckDb() {
    }

    /**
     * Opens an in-memory database. The DuckDB 2.0 JDBC driver streams result sets by default
     * ({@code jdbc_stream_results}), which the streams of this backend rely on for bounded memory.
     */
    static DuckDBConnection openInMemory() throws SQLException {
        Properties properties = new Properties();
        // FIELD-NOTES: extensions cannot be downloaded here; fail fast instead of waiting.
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        properties.setProperty("jdbc_stream_results", "true");
        return DriverManager.getConnection("jdbc:duckdb:", properties).unwrap(DuckDBConnection.class);
    }

    static void execute(DuckDBConnection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Quotes a string as a SQL literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Closes resources after a failure or at the end of a stream, ignoring what closing throws. */
    static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // Releasing: a failure to close changes nothing the caller can act on.
                }
            }
        }
    }
}
