package org.pocaduck.tabular;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the SQL engines holding the table; everything else is one code path
 * ({@link TableLayout}, {@link TabularStore}, {@link TabularIngestor}, {@link TabularQuery}).
 *
 * <p>Differences: how connections are made (a shared embedded DuckDB database per file, or Trino
 * connections over HTTP), how names are qualified, the binary and array type names, how rows are
 * inserted in bulk (DuckDB's appender; Trino multi-row {@code INSERT ... VALUES} under the
 * statement-length limit), and whether the catalog can delete rows. Implementations are
 * thread-safe.
 */
interface Dialect extends AutoCloseable {
    /** @return {@code duckdb} or {@code trino} */
    String name();

    /**
     * Opens a connection for one unit of work; the caller closes it.
     *
     * @throws SQLException if the engine cannot be reached
     */
    Connection connect() throws SQLException;

    /**
     * @return true if one connection may serve concurrent statements from many threads (Trino's
     *     HTTP connections), so a query keeps one; false if each unit of work needs its own
     *     (DuckDB)
     */
    boolean sharesConnections();

    /** @return the quoted, fully qualified name of a schema */
    String qualifiedSchema(String schema);

    /** @return the quoted, fully qualified name of a table */
    default String qualifiedTable(String schema, String table) {
        return qualifiedSchema(schema) + "." + quote(table);
    }

    /**
     * @return a query of which of three tables exist in a schema; parameters: the schema name,
     *     then the three table names (named, so that the engine looks up three tables rather
     *     than listing a schema of any size)
     */
    String tablesInSchemaQuery();

    /** @return the type of a byte-string column */
    String binaryType();

    /** @return the type of an array of BIGINT */
    String bigintArrayType();

    /**
     * Inserts rows in bulk, in as few statements as the engine allows; never one statement per row
     * (except when a single row is all there is).
     *
     * @param connection a connection from {@link #connect()}
     * @param layout the table's layout
     * @param rows the rows, in the column order of {@link TableLayout#POINT_COLUMNS}
     * @throws SQLException if the insert fails
     */
    void insert(Connection connection, TableLayout layout, List<StoredRow> rows) throws SQLException;

    /**
     * Learns what the engine's catalog can do (Trino: its connector); called once when a store
     * opens, before any other use.
     *
     * @throws SQLException if the engine cannot be asked
     */
    default void inspect(Connection connection) throws SQLException {
    }

    /** @return the clause after the points table's columns in its CREATE TABLE, or an empty string */
    default String pointsTableProperties() {
        return "";
    }

    /**
     * @return what registers staged Parquet files in the table in one statement (Iceberg's
     *     {@code add_files}), or empty if this engine's catalog cannot
     */
    default java.util.Optional<String> fileRegistration() {
        return java.util.Optional.empty();
    }

    /**
     * Adds every Parquet file of a directory (as the engine names it) to the points table, in one
     * atomic statement: all of them or none.
     *
     * @throws SQLException if the engine refuses (the files are then not in the table)
     * @throws UnsupportedOperationException if {@link #fileRegistration()} is empty
     */
    default void registerFiles(Connection connection, TableLayout layout, String directory) throws SQLException {
        throw new UnsupportedOperationException("Cannot register staged files: the " + name()
                + " catalog has no way to");
    }

    /** @return true if the failure says the catalog cannot delete rows (a capability, not an error) */
    boolean isDeleteUnsupported(SQLException e);

    /** Releases the engine (the DuckDB database when its last user closes). Throws nothing. */
    @Override
    void close();

    /** Double-quotes an identifier, doubling any quote inside (standard SQL, both engines). */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
