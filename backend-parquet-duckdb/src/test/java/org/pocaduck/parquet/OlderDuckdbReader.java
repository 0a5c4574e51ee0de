package org.pocaduck.parquet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs in a child JVM whose class path holds only the test classes and an older DuckDB JDBC
 * driver (TestOlderDuckdbReadsTheStore): attaches each DuckDB file given read-only and prints the
 * engine's version, then one line per file: its name, the rows of {@code point_cloud_index} and
 * the sum of its {@code point_count}. Uses java.sql only, so it runs against any DuckDB driver.
 */
public final class OlderDuckdbReader {
    private OlderDuckdbReader() {
    }

    public static void main(String[] files) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            try (ResultSet version = statement.executeQuery("SELECT version()")) {
                version.next();
                System.out.println("ENGINE " + version.getString(1));
            }
            int n = 0;
            for (String file : files) {
                String alias = "f" + n++;
                statement.execute("ATTACH '" + file.replace("'", "''") + "' AS " + alias + " (READ_ONLY)");
                try (ResultSet rows = statement.executeQuery("SELECT count(*), CAST(sum(point_count) AS BIGINT) FROM "
                        + alias + ".point_cloud_index")) {
                    rows.next();
                    System.out.println("FILE " + file + " " + rows.getLong(1) + " " + rows.getLong(2));
                }
            }
        }
    }
}
