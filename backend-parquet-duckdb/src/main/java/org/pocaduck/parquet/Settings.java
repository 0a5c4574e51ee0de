package org.pocaduck.parquet;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.pocaduck.ConfigurationException;
import org.pocaduck.StorageConfig;
import org.pocaduck.s3.S3Options;
import org.pocaduck.spi.ConfigOption;

/**
 * The backend's options, read from a {@link StorageConfig}.
 *
 * @param bufferBytes per-worker buffer before a flush to a Parquet file
 * @param rowGroupBytes target Parquet row group size (uncompressed, as parquet-java measures it)
 * @param cacheBytes per-query LRU cache of recent labels' points; 0 turns it off
 * @param zstdLevel ZSTD compression level of the Parquet pages
 * @param duckdbMemoryBytes DuckDB's {@code memory_limit} for the index files this process builds,
 *     or empty for DuckDB's default (80% of the machine's memory)
 */
public record Settings(long bufferBytes, long rowGroupBytes, long cacheBytes, int zstdLevel, OptionalLong duckdbMemoryBytes) {
    public static final String BUFFER_BYTES = "buffer_bytes";
    public static final String ROW_GROUP_BYTES = "row_group_bytes";
    public static final String CACHE_BYTES = "cache_bytes";
    public static final String ZSTD_LEVEL = "zstd_level";

    static final long DEFAULT_BUFFER_BYTES = 256L << 20;
    public static final long DEFAULT_ROW_GROUP_BYTES = 64L << 20;
    static final long DEFAULT_CACHE_BYTES = 256L << 20;
    static final int DEFAULT_ZSTD_LEVEL = 3;
    /** The buffer holds values in one Java array: at most 2^31 - 8 longs. */
    static final long MAX_BUFFER_BYTES = 8L << 30;

    static final List<ConfigOption> OPTIONS = Stream.concat(Stream.of(
            ConfigOption.optional(BUFFER_BYTES, "bytes one worker buffers in memory before it sorts them and writes"
                    + " a Parquet file (1MiB to 8GiB; default 256MiB)"),
            ConfigOption.optional(ROW_GROUP_BYTES, "target Parquet row group size in bytes (1MiB to 1GiB;"
                    + " default 64MiB)"),
            ConfigOption.optional(CACHE_BYTES, "bytes of recently read labels' points each query keeps in an LRU"
                    + " cache; 0 turns the cache off (default 256MiB)"),
            ConfigOption.optional(ZSTD_LEVEL, "ZSTD level of the Parquet pages (1 to 22; default 3)")),
            S3Options.options("s3:// stores", "downloaded index files and upload staging").stream()).toList();

    static Settings from(StorageConfig config) {
        long buffer = config.byteSizeOption(BUFFER_BYTES, DEFAULT_BUFFER_BYTES);
        check(BUFFER_BYTES, buffer, 1L << 20, MAX_BUFFER_BYTES);
        long rowGroup = config.byteSizeOption(ROW_GROUP_BYTES, DEFAULT_ROW_GROUP_BYTES);
        check(ROW_GROUP_BYTES, rowGroup, 1L << 20, 1L << 30);
        long cache = config.byteSizeOption(CACHE_BYTES, DEFAULT_CACHE_BYTES);
        check(CACHE_BYTES, cache, 0, Long.MAX_VALUE);
        int level = config.intOption(ZSTD_LEVEL, DEFAULT_ZSTD_LEVEL);
        check(ZSTD_LEVEL, level, 1, 22);
        return new Settings(buffer, rowGroup, cache, level, OptionalLong.empty());
    }

    /**
     * The settings of one ingestor with a memory budget M: its buffer at most M/2 (the points it
     * holds), its row groups at most M/4 (the encoded columns a flush holds), its run index's
     * DuckDB {@code memory_limit} M/8; the rest is the sort order, the index entries and the
     * encoders' scratch.
     */
    Settings withMemoryBudget(long memoryBytes) {
        return new Settings(Math.min(bufferBytes, Math.max(1, memoryBytes / 2)),
                Math.min(rowGroupBytes, Math.max(1L << 20, memoryBytes / 4)), cacheBytes, zstdLevel,
                OptionalLong.of(Math.max(MIN_DUCKDB_MEMORY_BYTES, memoryBytes / 8)));
    }

    /**
     * DuckDB's smallest {@code memory_limit} here: below about this it fails to append a run's
     * index ("could not allocate block"), even for a few thousand rows.
     */
    static final long MIN_DUCKDB_MEMORY_BYTES = 16L << 20;

    private static void check(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigurationException("Cannot use option '" + key + "' = " + value + ": it must be between "
                    + min + " and " + max);
        }
    }
}
