package org.pocaduck.support;

import java.util.Properties;

/**
 * The connection settings of every embedded DuckDB the backends open, as JDBC properties for
 * {@code DriverManager.getConnection("jdbc:duckdb:...", properties)} (DuckDB's configuration
 * options, <a href="https://duckdb.org/docs/configuration/overview">duckdb.org/docs/configuration</a>,
 * plus the driver's own {@code jdbc_stream_results} and {@code duckdb.read_only}). Immutable; each
 * {@code with...} returns a new value.
 *
 * <p>Always set: extensions are neither downloaded nor loaded automatically, so that a missing
 * extension fails at once instead of waiting for a download this machine kind cannot make (the
 * backends use only DuckDB's built-in features).
 */
public final class DuckDbSettings {
    /**
     * The storage version of every DuckDB file the backends create: DuckDB 1.2 and later read it
     * (the Python original pins duckdb 1.2.2), while DuckDB 2.0's default (storage version 69) is
     * unreadable by every 1.x engine. DuckDB's {@code storage_compatibility_version}; an existing
     * file keeps the version it has.
     */
    public static final String STORAGE_VERSION = "v1.2.0";

    private final Properties properties;

    private DuckDbSettings(Properties properties) {
        this.properties = properties;
    }

    /** @return the settings every connection gets (no automatic extension install or load) */
    public static DuckDbSettings base() {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        return new DuckDbSettings(properties);
    }

    private DuckDbSettings with(String key, String value) {
        Properties copy = new Properties();
        copy.putAll(properties);
        copy.setProperty(key, value);
        return new DuckDbSettings(copy);
    }

    /** @return these settings, opening the database file read-only (many processes may then read it) */
    public DuckDbSettings readOnly() {
        return with("duckdb.read_only", "true");
    }

    /** @return these settings, creating a missing database file in {@link #STORAGE_VERSION} */
    public DuckDbSettings compatibleStorage() {
        return with("storage_compatibility_version", STORAGE_VERSION);
    }

    /**
     * @param bytes DuckDB's {@code memory_limit}, rounded down to whole MiB (at least 1 MiB),
     *     beyond which it spills to its temporary directory
     * @return these settings with that limit
     */
    public DuckDbSettings memoryLimit(long bytes) {
        return with("memory_limit", Math.max(1, bytes >> 20) + "MiB");
    }

    /** @return these settings with DuckDB's worker threads set to {@code threads} */
    public DuckDbSettings threads(int threads) {
        return with("threads", Integer.toString(threads));
    }

    /**
     * Fetches result sets chunk by chunk as they are read ({@code jdbc_stream_results}) instead
     * of materialising each whole in native memory before the first row, which is the driver's
     * default: without it, a scan of a 10-million-label index holds the whole result outside the
     * heap. A streamed result must be read to its end (or closed) before the connection runs
     * another statement, so only a connection one thread uses for one scan at a time takes it.
     *
     * @return these settings with results streamed
     */
    public DuckDbSettings streamResults() {
        return with("jdbc_stream_results", "true");
    }

    /** @return the settings as JDBC properties (a copy the caller may change) */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }
}
