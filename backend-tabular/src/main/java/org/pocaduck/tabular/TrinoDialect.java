package org.pocaduck.tabular;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Trino over {@code trino-jdbc}: any catalog (VastDB through VAST's connector in production, the
 * memory connector in tests). Trino JDBC has no array parameters and runs a prepared insert as one
 * statement per row (~5-8 rows/s, FIELD-NOTES), so bulk inserts are multi-row
 * {@code INSERT ... VALUES} statements of literals (VARBINARY as {@code X'..'}, text as escaped
 * or Unicode-escaped literals, labels as validated integers), each kept under the statement-length
 * limit ({@code max_statement_length}, Trino's {@code query.max-length}).
 */
final class TrinoDialect implements Dialect {
    /** Trino's NOT_SUPPORTED error code: the connector cannot do the operation. */
    private static final int NOT_SUPPORTED = 13;
    private static final HexFormat HEX = HexFormat.of();

    private final String url;
    private final Properties properties;
    private final String catalog;
    private final int maxStatementLength;
    /** The catalog's connector ({@code iceberg}, {@code memory}, ...), learnt by {@link #inspect}. */
    private volatile String connector = "";

    TrinoDialect(TabularSettings settings) {
        this.url = settings.jdbcUrl();
        this.catalog = settings.catalog().orElseThrow();
        this.maxStatementLength = settings.maxStatementLength();
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        p.setProperty("source", "pocaduck");
        settings.password().ifPresent(v -> p.setProperty("password", v));
        settings.accessToken().ifPresent(v -> p.setProperty("accessToken", v));
        if (settings.ssl()) {
            p.setProperty("SSL", "true");
        }
        settings.sslTrustStorePath().ifPresent(v -> p.setProperty("SSLTrustStorePath", v));
        settings.sslTrustStorePassword().ifPresent(v -> p.setProperty("SSLTrustStorePassword", v));
        settings.sslVerification().ifPresent(v -> p.setProperty("SSLVerification", v));
        // trino-jdbc's explicitPrepare=false runs a prepared statement as one EXECUTE IMMEDIATE
        // (Trino 418+) instead of a PREPARE round trip before every EXECUTE: half the statements.
        p.setProperty("explicitPrepare", Boolean.toString(settings.explicitPrepare()));
        // Query results come as JSON (payloads base64) over HTTP, which the driver asks gzipped
        // unless told not to; the payloads are zstd already (docs/tabular.md, "Reads").
        p.setProperty("disableCompression", Boolean.toString(!settings.resultCompression()));
        this.properties = p;
    }

    @Override
    public String name() {
        return "trino";
    }

    @Override
    public void inspect(Connection connection) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement(
                "SELECT connector_name FROM system.metadata.catalogs WHERE catalog_name = ?")) {
            ps.setString(1, catalog);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the Trino server has no catalog '" + catalog + "' ("
                            + TabularSettings.CATALOG + ")");
                }
                connector = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /** @return the catalog's connector name, as Trino reports it */
    String connector() {
        return connector;
    }

    private boolean iceberg() {
        return connector.equals("iceberg");
    }

    /**
     * Iceberg: Parquet data files sorted by label (Trino's writes sort each file; optimize rewrites
     * files in label order), so a lookup reads the few files whose label bounds hold the label.
     */
    @Override
    public String pointsTableProperties() {
        return iceberg() ? " WITH (format = 'PARQUET', sorted_by = ARRAY['label'])" : "";
    }

    @Override
    public Optional<String> fileRegistration() {
        return iceberg() ? Optional.of("ALTER TABLE ... EXECUTE add_files") : Optional.empty();
    }

    /**
     * Iceberg's {@code add_files} (Trino 461+, with {@code iceberg.add-files-procedure.enabled}):
     * one snapshot adding every file of the directory, their columns mapped by name and their
     * label bounds kept for pruning.
     */
    @Override
    public void registerFiles(Connection connection, TableLayout layout, String directory) throws SQLException {
        if (!iceberg()) {
            Dialect.super.registerFiles(connection, layout, directory); // throws: no way to register
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + layout.pointsTable() + " EXECUTE add_files(location => "
                    + varchar(directory) + ", format => 'PARQUET')");
        }
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public boolean sharesConnections() {
        return true;
    }

    @Override
    public String qualifiedSchema(String schema) {
        return Dialect.quote(catalog) + "." + Dialect.quote(schema);
    }

    @Override
    public String tablesInSchemaQuery() {
        return "SELECT table_name FROM " + Dialect.quote(catalog) + ".information_schema.tables WHERE table_schema = ?"
                + " AND table_name IN (?, ?, ?)";
    }

    @Override
    public String binaryType() {
        return "VARBINARY";
    }

    @Override
    public String bigintArrayType() {
        return "ARRAY(BIGINT)";
    }

    @Override
    public void insert(Connection connection, TableLayout layout, List<StoredRow> rows) throws SQLException {
        String head = "INSERT INTO " + layout.pointsTable() + " (" + layout.insertColumns() + ") VALUES ";
        StringBuilder sql = new StringBuilder(Math.min(maxStatementLength, 1 << 20));
        int inStatement = 0;
        try (Statement statement = connection.createStatement()) {
            for (StoredRow row : rows) {
                String values = rowLiteral(row);
                if (inStatement > 0 && sql.length() + 1 + values.length() > maxStatementLength) {
                    statement.executeUpdate(sql.toString());
                    inStatement = 0;
                }
                if (inStatement == 0) {
                    sql.setLength(0);
                    sql.append(head);
                } else {
                    sql.append(',');
                }
                sql.append(values);
                inStatement++;
            }
            if (inStatement > 0) {
                statement.executeUpdate(sql.toString());
            }
        }
    }

    private static String rowLiteral(StoredRow row) {
        StringBuilder b = new StringBuilder(64 + row.payloadBytes() * 2);
        b.append('(').append(bigint(row.label())).append(',')
                .append(varchar(row.blockId())).append(',')
                .append(row.chunk()).append(',')
                .append(row.pointCount()).append(',')
                .append(row.dimensions()).append(',')
                .append(row.payloadBytes()).append(',')
                .append(varchar(row.workerId())).append(',')
                .append(bigint(row.generation())).append(',');
        if (row.payload() instanceof byte[] bytes) {
            b.append("X'");
            HEX.formatHex(b, bytes);
            b.append('\'');
        } else {
            b.append("ARRAY[");
            long[] values = (long[]) row.payload();
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(bigint(values[i]));
            }
            b.append(']');
        }
        return b.append(')').toString();
    }

    /** A BIGINT literal; -2^63 has no literal of its own (its absolute value overflows). */
    static String bigint(long value) {
        return value == Long.MIN_VALUE ? "(-9223372036854775807-1)" : Long.toString(value);
    }

    /**
     * A VARCHAR literal holding exactly {@code text}: printable ASCII as a plain literal with
     * quotes doubled; anything else as a Unicode literal {@code U&'..'} with every other code point
     * escaped ({@code \XXXX} or {@code \+XXXXXX}) and backslashes doubled.
     */
    static String varchar(String text) {
        boolean plain = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (plain) {
            return "'" + text.replace("'", "''") + "'";
        }
        StringBuilder b = new StringBuilder(text.length() * 2 + 4).append("U&'");
        text.codePoints().forEach(cp -> {
            if (cp == '\'') {
                b.append("''");
            } else if (cp == '\\') {
                b.append("\\\\");
            } else if (cp >= 0x20 && cp < 0x7f) {
                b.append((char) cp);
            } else if (cp <= 0xffff) {
                b.append(String.format("\\%04X", cp));
            } else {
                b.append(String.format("\\+%06X", cp));
            }
        });
        return b.append('\'').toString();
    }

    @Override
    public boolean isDeleteUnsupported(SQLException e) {
        return e.getErrorCode() == NOT_SUPPORTED;
    }

    @Override
    public void close() {
        // Trino connections are per unit of work; nothing is held between them.
    }
}
