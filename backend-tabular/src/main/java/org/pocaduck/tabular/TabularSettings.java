package org.pocaduck.tabular;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.pocaduck.ConfigurationException;
import org.pocaduck.StorageConfig;
import org.pocaduck.s3.S3Options;
import org.pocaduck.spi.ConfigOption;

/**
 * The options of a tabular store, parsed and validated from a {@link StorageConfig}. Immutable.
 *
 * <p>The location chooses the dialect: {@code trino://host:port} or {@code jdbc:trino://...}
 * reach a Trino coordinator; anything else is the path of an embedded DuckDB database file.
 * Secrets (password, access token, trust store password) are held here but never printed.
 */
record TabularSettings(
        Kind kind,
        String location,
        Path duckdbFile,
        String jdbcUrl,
        Optional<String> catalog,
        String schema,
        String table,
        String user,
        Optional<String> password,
        Optional<String> accessToken,
        boolean ssl,
        Optional<String> sslTrustStorePath,
        Optional<String> sslTrustStorePassword,
        Optional<String> sslVerification,
        PayloadEncoding encoding,
        Compression compression,
        boolean encodingGiven,
        boolean compressionGiven,
        int maxPayloadBytes,
        int maxStatementLength,
        long writeBufferBytes,
        boolean explicitPrepare,
        boolean resultCompression,
        Optional<String> stagingLocation,
        Optional<String> stagingServerLocation,
        Optional<S3Options> stagingS3) {

    /** Which SQL engine holds the table. */
    enum Kind { DUCKDB, TRINO }

    static final String TABLE = "table";
    static final String SCHEMA = "schema";
    static final String CATALOG = "catalog";
    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String ACCESS_TOKEN = "access_token";
    static final String SSL = "ssl";
    static final String SSL_TRUSTSTORE_PATH = "ssl_truststore_path";
    static final String SSL_TRUSTSTORE_PASSWORD = "ssl_truststore_password";
    static final String SSL_VERIFICATION = "ssl_verification";
    static final String ENCODING = "encoding";
    static final String COMPRESSION = "compression";
    static final String MAX_PAYLOAD_BYTES = "max_payload_bytes";
    static final String MAX_STATEMENT_LENGTH = "max_statement_length";
    static final String WRITE_BUFFER_BYTES = "write_buffer_bytes";
    static final String EXPLICIT_PREPARE = "explicit_prepare";
    static final String RESULT_COMPRESSION = "result_compression";
    static final String STAGING_LOCATION = "staging_location";
    static final String STAGING_SERVER_LOCATION = "staging_server_location";
    /** What the s3_* options are for in this backend. */
    static final String S3_USE = "s3:// staging_location";

    /** Default payload limit: VastDB holds at most ~126 KB in a cell (FIELD-NOTES). */
    static final int DEFAULT_MAX_PAYLOAD_BYTES = 100 * 1024;
    /** Trino's default {@code query.max-length}. */
    static final int DEFAULT_MAX_STATEMENT_LENGTH = 1_000_000;
    static final long DEFAULT_WRITE_BUFFER_BYTES = 64L << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
    private static final List<String> TRINO_ONLY = List.of(CATALOG, USER, PASSWORD, ACCESS_TOKEN, SSL,
            SSL_TRUSTSTORE_PATH, SSL_TRUSTSTORE_PASSWORD, SSL_VERIFICATION, MAX_STATEMENT_LENGTH, EXPLICIT_PREPARE,
            RESULT_COMPRESSION, STAGING_LOCATION, STAGING_SERVER_LOCATION);

    static List<ConfigOption> options() {
        return List.of(
                ConfigOption.optional(TABLE, "name of the points table; its metadata and commit tables get the "
                        + "suffixes _meta and _commits (default points)"),
                ConfigOption.optional(SCHEMA, "schema holding the tables, created if missing (default pocaduck)"),
                ConfigOption.optional(CATALOG, "Trino catalog holding the schema (required for Trino)"),
                ConfigOption.optional(USER, "Trino user (default pocaduck)"),
                ConfigOption.optional(PASSWORD, "Trino password (needs ssl=true)"),
                ConfigOption.optional(ACCESS_TOKEN, "Trino OAuth/JWT access token"),
                ConfigOption.optional(SSL, "Trino over HTTPS: true or false (default false)"),
                ConfigOption.optional(SSL_TRUSTSTORE_PATH, "Trino trust store file"),
                ConfigOption.optional(SSL_TRUSTSTORE_PASSWORD, "Trino trust store password"),
                ConfigOption.optional(SSL_VERIFICATION, "Trino TLS verification: FULL, CA or NONE (default FULL)"),
                ConfigOption.optional(ENCODING, "payload encoding when the table is created: packed (VARBINARY, "
                        + "default) or array (ARRAY(BIGINT))"),
                ConfigOption.optional(COMPRESSION, "packed payload compression when the table is created: zstd "
                        + "(default) or none"),
                ConfigOption.optional(MAX_PAYLOAD_BYTES, "largest payload of one row, bytes (default 100KiB; "
                        + "VastDB cells hold ~126 KB)"),
                ConfigOption.optional(MAX_STATEMENT_LENGTH, "longest Trino INSERT statement, characters (default "
                        + "1000000, Trino's query.max-length)"),
                ConfigOption.optional(WRITE_BUFFER_BYTES, "points a worker buffers before inserting, bytes "
                        + "(default 64MiB)"),
                ConfigOption.optional(EXPLICIT_PREPARE, "Trino prepared statements as a separate PREPARE round "
                        + "trip: true for Trino servers older than 418, which lack EXECUTE IMMEDIATE (default false: "
                        + "one round trip per statement)"),
                ConfigOption.optional(RESULT_COMPRESSION, "Trino query results gzip-compressed over HTTP: true for "
                        + "slow links (default false: packed payloads are zstd already, and gzip of their JSON text "
                        + "costs the server and the client more CPU than it saves)"),
                ConfigOption.optional(STAGING_LOCATION, "Trino: bulk load through Parquet: where workers write their "
                        + "rows as Parquet files, an absolute local directory or s3://bucket/prefix, registered in an "
                        + "Iceberg table with add_files at commit; the files stay the table's data (default: none, "
                        + "rows are inserted with INSERT ... VALUES)"),
                ConfigOption.optional(STAGING_SERVER_LOCATION, "Trino: the staging location as the Trino server "
                        + "names it, e.g. local:///staging for a catalog whose local.location holds the staging "
                        + "directory (default: the staging location itself, right for s3://)"));
    }

    /** @return the backend's options: its own and the s3_* options of an s3:// staging location */
    static List<ConfigOption> allOptions() {
        List<ConfigOption> all = new java.util.ArrayList<>(options());
        all.addAll(S3Options.options(S3_USE, "staged files before their upload"));
        return List.copyOf(all);
    }

    static TabularSettings parse(StorageConfig config) {
        String location = config.location().strip();
        Kind kind = location.startsWith("trino://") || location.startsWith("jdbc:trino://") ? Kind.TRINO : Kind.DUCKDB;
        if (kind == Kind.DUCKDB) {
            for (String key : TRINO_ONLY) {
                if (config.option(key).isPresent()) {
                    throw new ConfigurationException("Invalid option '" + key + "' for storage type 'tabular' at "
                            + location + ": it applies to Trino locations (trino://host:port) only");
                }
            }
        }
        String table = name(config, TABLE, "points");
        String schema = name(config, SCHEMA, "pocaduck");
        Optional<String> catalog = config.option(CATALOG).map(c -> checkName(CATALOG, c));
        if (kind == Kind.TRINO && catalog.isEmpty()) {
            throw new ConfigurationException("Missing required option '" + CATALOG
                    + "' for storage type 'tabular' at a Trino location (" + withoutParameters(location) + ")");
        }
        int maxPayload = (int) Math.min(Integer.MAX_VALUE,
                config.byteSizeOption(MAX_PAYLOAD_BYTES, DEFAULT_MAX_PAYLOAD_BYTES));
        if (maxPayload < 1024) {
            throw new ConfigurationException("Invalid option '" + MAX_PAYLOAD_BYTES + "' = '"
                    + config.option(MAX_PAYLOAD_BYTES).orElse("") + "' for storage type 'tabular': it is below 1KiB");
        }
        int maxStatement = config.intOption(MAX_STATEMENT_LENGTH, DEFAULT_MAX_STATEMENT_LENGTH);
        // One row's literal is at most two hex digits per payload byte (or ~21 characters per array
        // value, 8 payload bytes) plus the other columns.
        long longestRow = 3L * maxPayload + 4096;
        if (kind == Kind.TRINO && maxStatement < longestRow) {
            throw new ConfigurationException("Invalid option '" + MAX_STATEMENT_LENGTH + "' = " + maxStatement
                    + " for storage type 'tabular': one row needs up to " + longestRow + " characters with "
                    + MAX_PAYLOAD_BYTES + " = " + maxPayload + "; raise it or lower " + MAX_PAYLOAD_BYTES);
        }
        long writeBuffer = config.byteSizeOption(WRITE_BUFFER_BYTES, DEFAULT_WRITE_BUFFER_BYTES);
        if (writeBuffer < 1) {
            throw new ConfigurationException("Invalid option '" + WRITE_BUFFER_BYTES
                    + "' for storage type 'tabular': it must be positive");
        }
        Optional<String> verification = config.option(SSL_VERIFICATION).map(v -> {
            String upper = v.strip().toUpperCase(Locale.ROOT);
            if (!List.of("FULL", "CA", "NONE").contains(upper)) {
                throw new ConfigurationException("Invalid option '" + SSL_VERIFICATION + "' = '" + v
                        + "' for storage type 'tabular': it is not one of FULL, CA, NONE");
            }
            return upper;
        });
        Optional<String> staging = config.option(STAGING_LOCATION).map(String::strip);
        Optional<String> stagingServer = config.option(STAGING_SERVER_LOCATION).map(String::strip);
        boolean s3Staging = staging.isPresent() && S3Options.isS3(staging.get());
        if (!s3Staging) {
            for (ConfigOption option : S3Options.options(S3_USE, "")) {
                if (config.option(option.key()).isPresent()) {
                    throw new ConfigurationException("Invalid option '" + option.key() + "' for storage type "
                            + "'tabular': it applies to an s3:// " + STAGING_LOCATION + " only");
                }
            }
        }
        if (staging.isPresent() && !s3Staging) {
            Path directory = Path.of(staging.get());
            if (!directory.isAbsolute()) {
                throw new ConfigurationException("Invalid option '" + STAGING_LOCATION + "' = '" + staging.get()
                        + "' for storage type 'tabular': it must be an absolute directory or an s3:// URI");
            }
            staging = Optional.of(directory.normalize().toString());
            if (stagingServer.isEmpty()) {
                throw new ConfigurationException("Missing option '" + STAGING_SERVER_LOCATION + "' for storage type "
                        + "'tabular' with " + STAGING_LOCATION + " = " + staging.get() + ": give the URI the Trino "
                        + "server reads that directory by (for a catalog with fs.local.enabled and local.location = "
                        + "<dir>, local:///<the staging directory relative to <dir>>)");
            }
        } else if (s3Staging) {
            stagingServer = Optional.of(stagingServer.orElse(staging.get()));
        } else if (stagingServer.isPresent()) {
            throw new ConfigurationException("Invalid option '" + STAGING_SERVER_LOCATION + "' for storage type "
                    + "'tabular': it goes with " + STAGING_LOCATION + ", which is not set");
        }
        return new TabularSettings(kind, location,
                kind == Kind.DUCKDB ? duckdbPath(location) : null,
                kind == Kind.TRINO ? jdbcUrl(location) : null,
                catalog, schema, table,
                config.option(USER).orElse("pocaduck"),
                config.option(PASSWORD), config.option(ACCESS_TOKEN),
                config.booleanOption(SSL, false),
                config.option(SSL_TRUSTSTORE_PATH), config.option(SSL_TRUSTSTORE_PASSWORD), verification,
                config.option(ENCODING).map(v -> PayloadEncoding.parse(ENCODING, v)).orElse(PayloadEncoding.PACKED),
                config.option(COMPRESSION).map(v -> Compression.parse(COMPRESSION, v)).orElse(Compression.ZSTD),
                config.option(ENCODING).isPresent(), config.option(COMPRESSION).isPresent(),
                maxPayload, maxStatement, writeBuffer, config.booleanOption(EXPLICIT_PREPARE, false),
                config.booleanOption(RESULT_COMPRESSION, false), staging,
                stagingServer, s3Staging ? Optional.of(S3Options.from(staging.get(), config)) : Optional.empty());
    }

    /** @return a description naming the table, without any secret */
    String describe() {
        return switch (kind) {
            case DUCKDB -> "duckdb:" + duckdbFile + " " + schema + "." + table;
            case TRINO -> withoutParameters(jdbcUrl) + " " + catalog.orElseThrow() + "." + schema + "." + table;
        };
    }

    /** A location without URL parameters, which may hold secrets. */
    static String withoutParameters(String location) {
        return location.replaceFirst("[?;].*$", "?...");
    }

    private static String name(StorageConfig config, String key, String defaultValue) {
        return checkName(key, config.option(key).orElse(defaultValue));
    }

    private static String checkName(String key, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new ConfigurationException("Invalid option '" + key + "' = '" + value
                    + "' for storage type 'tabular': a catalog, schema or table name is 1 to 100 characters of "
                    + "[A-Za-z0-9_], not starting with a digit");
        }
        return value;
    }

    private static Path duckdbPath(String location) {
        String path = location.startsWith("jdbc:duckdb:") ? location.substring("jdbc:duckdb:".length()) : location;
        if (path.isBlank() || path.startsWith(":memory:")) {
            throw new ConfigurationException("Invalid location '" + location
                    + "' for storage type 'tabular': expected a DuckDB database file path or trino://host:port");
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static String jdbcUrl(String location) {
        if (location.startsWith("jdbc:trino://")) {
            return location;
        }
        try {
            URI uri = new URI(location);
            if (uri.getHost() == null || uri.getPort() < 0 || (uri.getPath() != null && !uri.getPath().isEmpty()
                    && !uri.getPath().equals("/")) || uri.getQuery() != null || uri.getUserInfo() != null) {
                throw new URISyntaxException(location, "expected trino://host:port and nothing else");
            }
            return "jdbc:trino://" + uri.getHost() + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            throw new ConfigurationException("Invalid location '" + withoutParameters(location)
                    + "' for storage type 'tabular': expected trino://host:port or a jdbc:trino:// URL (" + e.getReason() + ")", e);
        }
    }
}
