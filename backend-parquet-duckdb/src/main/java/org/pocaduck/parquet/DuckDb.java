package org.pocaduck.parquet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/** Opens DuckDB databases with the settings this backend relies on. */
final class DuckDb {
    private DuckDb() {
    }

    /**
     * Opens a database file.
     *
     * @param file the database file
     * @param readOnly true to open it read-only (many processes may then read it at once)
     */
    static DuckDBConnection open(Path file, boolean readOnly) throws SQLException {
        Properties properties = new Properties();
        if (readOnly) {
            properties.setProperty("duckdb.read_only", "true");
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
