package org.pocaduck.python;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.pocaduck.support.DuckDbSettings;

/** Opens the in-memory DuckDB database a store reads through, and small SQL helpers. */
final class DuckDb {
    private DuckDb() {
    }

    /**
     * Opens an in-memory database whose result sets are streamed ({@code jdbc_stream_results}:
     * the driver materialises each whole result in native memory unless told otherwise), which
     * the streams of this backend rely on for bounded memory.
     */
    static DuckDBConnection openInMemory() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:", DuckDbSettings.base().streamResults().properties())
                .unwrap(DuckDBConnection.class);
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
}
