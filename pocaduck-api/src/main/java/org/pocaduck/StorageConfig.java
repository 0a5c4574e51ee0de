package org.pocaduck;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a store lives and how to reach it: a storage type, a location and backend options.
 *
 * <p>One flat form of string keys and values, shared by code, properties files and the command
 * line:
 * <ul>
 *   <li>{@value #STORAGE_TYPE}: the backend's name, such as {@code memory} or
 *       {@code parquet-duckdb} (see {@link PocaDuck#storageTypes()});</li>
 *   <li>{@value #LOCATION}: the store's base location: a local directory, an {@code s3://} URI,
 *       or a name, as the backend documents;</li>
 *   <li>{@value #DIMENSIONS} (optional): the declared point schema, such as
 *       {@code x,y,z,supervoxel_id} (see {@link PointSchema});</li>
 *   <li>any other key: an option of the chosen backend, checked against that backend's known
 *       options when a store is opened.</li>
 * </ul>
 * Keys match {@code [a-z][a-z0-9_]*} with optional dot-separated parts. The generic rules are
 * checked when the config is built and backend rules when a store is opened; every error is a
 * {@link ConfigurationException} naming the key. Options whose key contains {@code password},
 * {@code secret}, {@code token} or {@code credential} are secrets: {@link #toString()} masks them.
 *
 * <p>Immutable and thread-safe.
 */
public final class StorageConfig {
    /** Key of the storage type. */
    public static final String STORAGE_TYPE = "storage_type";
    /** Key of the base location. */
    public static final String LOCATION = "location";
    /** Key of the declared point schema. */
    public static final String DIMENSIONS = "dimensions";

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern SECRET = Pattern.compile(".*(password|secret|token|credential).*");
    private static final Pattern BYTE_SIZE =
            Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL_PASSWORD =
            Pattern.compile("((?:password|secret|token)=)[^&;]*", Pattern.CASE_INSENSITIVE);

    private final String storageType;
    private final String location;
    private final SortedMap<String, String> options;

    private StorageConfig(String storageType, String location, SortedMap<String, String> options) {
        this.storageType = storageType;
        this.location = location;
        this.options = Collections.unmodifiableSortedMap(options);
    }

    /**
     * Starts a config of one storage type.
     *
     * @param storageType the backend's name, such as {@code memory}
     */
    public static Builder builder(String storageType) {
        return new Builder().storageType(storageType);
    }

    /**
     * Builds a config from a flat map of keys to values, the same form as a properties file.
     *
     * @param entries must hold {@value #STORAGE_TYPE} and {@value #LOCATION}; values are
     *     converted with {@code String.valueOf}
     * @throws ConfigurationException if a key or value breaks the rules above
     */
    public static StorageConfig fromMap(Map<String, ?> entries) {
        Objects.requireNonNull(entries, "entries is null");
        Builder builder = new Builder();
        for (Map.Entry<String, ?> entry : entries.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new ConfigurationException("Invalid storage configuration: null key or value for key '"
                        + entry.getKey() + "'");
            }
            builder.set(entry.getKey().strip(), String.valueOf(entry.getValue()));
        }
        return builder.build();
    }

    /**
     * Builds a config from properties, as {@link #fromMap(Map)}.
     *
     * @throws ConfigurationException if a key or value breaks the rules above
     */
    public static StorageConfig fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties is null");
        Map<String, String> entries = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            entries.put(key, properties.getProperty(key));
        }
        return fromMap(entries);
    }

    /**
     * Reads a properties file (UTF-8) and builds a config from it, as {@link #fromMap(Map)}.
     *
     * @param file a {@code java.util.Properties} text file
     * @throws ConfigurationException if the file cannot be read or a key or value is invalid
     */
    public static StorageConfig load(Path file) {
        Objects.requireNonNull(file, "file is null");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("Cannot read storage configuration " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromProperties(properties);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.getMessage() + " (in " + file + ")", e);
        }
    }

    /** @return the backend's name, such as {@code memory} */
    public String storageType() {
        return storageType;
    }

    /** @return the store's base location, as given */
    public String location() {
        return location;
    }

    /** @return the backend options (every key but storage type and location), sorted by key */
    public SortedMap<String, String> options() {
        return options;
    }

    /** @return the value of one option, if set */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(Objects.requireNonNull(key, "key is null")));
    }

    /**
     * The value of a required option.
     *
     * @throws ConfigurationException naming the key if it is not set
     */
    public String requireOption(String key) {
        return option(key).orElseThrow(() -> new ConfigurationException(
                "Missing required option '" + key + "' for storage type '" + storageType + "'"));
    }

    /** @return the point schema declared with {@value #DIMENSIONS}, if any */
    public Optional<PointSchema> declaredSchema() {
        return option(DIMENSIONS).map(PointSchema::parse);
    }

    /**
     * An integer option.
     *
     * @throws ConfigurationException naming the key and value if it is not an integer
     */
    public int intOption(String key, int defaultValue) {
        String text = options.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(key, text, "is not an integer");
        }
    }

    /**
     * A boolean option: {@code true} or {@code false}, any case.
     *
     * @throws ConfigurationException naming the key and value if it is neither
     */
    public boolean booleanOption(String key, boolean defaultValue) {
        String text = options.get(key);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text, "is not true or false");
        };
    }

    /**
     * A size in bytes: a count with an optional binary unit, such as {@code 256MiB}, {@code 1g}
     * or {@code 1048576}; k, m, g and t (with or without b or ib) all mean powers of 1024.
     *
     * @return the size in bytes
     * @throws ConfigurationException naming the key and value if it does not parse
     */
    public long byteSizeOption(String key, long defaultBytes) {
        String text = options.get(key);
        if (text == null) {
            return defaultBytes;
        }
        try {
            return parseByteSize(text);
        } catch (IllegalArgumentException e) {
            throw invalid(key, text, e.getMessage());
        }
    }

    /**
     * Parses a size in bytes: a count with an optional binary unit, such as {@code 256MiB},
     * {@code 1g} or {@code 1048576}; k, m, g and t (with or without b or ib, any case) all mean
     * powers of 1024.
     *
     * @return the size in bytes
     * @throws IllegalArgumentException if the text is not such a size, or the size exceeds
     *     {@link Long#MAX_VALUE} bytes; the message says which
     */
    public static long parseByteSize(String text) {
        Objects.requireNonNull(text, "text is null");
        Matcher m = BYTE_SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a byte size (examples: 1048576, 512MiB, 1GiB)");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        long count;
        try {
            count = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is too large", e);
        }
        if (count > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("is too large");
        }
        return count << shift;
    }

    /** @return every key and value, storage type and location included, as properties */
    public Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty(STORAGE_TYPE, storageType);
        properties.setProperty(LOCATION, location);
        options.forEach(properties::setProperty);
        return properties;
    }

    /** @return a builder holding this config's settings */
    public Builder toBuilder() {
        Builder builder = new Builder().storageType(storageType).location(location);
        options.forEach(builder::option);
        return builder;
    }

    /** @return true if the key names a secret that {@link #toString()} masks */
    public static boolean isSecretKey(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    private ConfigurationException invalid(String key, String value, String rule) {
        String shown = isSecretKey(key) ? "****" : "'" + value + "'";
        return new ConfigurationException("Invalid option '" + key + "' = " + shown + " for storage type '"
                + storageType + "': it " + rule);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StorageConfig that && storageType.equals(that.storageType)
                && location.equals(that.location) && options.equals(that.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(storageType, location, options);
    }

    /** Secrets are masked: the result is safe to log. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("StorageConfig{storage_type=").append(storageType)
                .append(", location=").append(URL_PASSWORD.matcher(location).replaceAll("$1****"));
        options.forEach((key, value) -> text.append(", ").append(key).append('=')
                .append(isSecretKey(key) ? "****" : value));
        return text.append('}').toString();
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String storageType;
        private String location;
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the storage type. */
        public Builder storageType(String storageType) {
            this.storageType = storageType;
            return this;
        }

        /** Sets the base location: a local path, an {@code s3://} URI or a name. */
        public Builder location(String location) {
            this.location = location;
            return this;
        }

        /** Sets the base location to a local directory. */
        public Builder location(Path directory) {
            return location(Objects.requireNonNull(directory, "directory is null").toString());
        }

        /** Declares the point schema ({@value #DIMENSIONS}). */
        public Builder schema(PointSchema schema) {
            return option(DIMENSIONS, Objects.requireNonNull(schema, "schema is null").toString());
        }

        /** Sets one backend option; a later call with the same key replaces it. */
        public Builder option(String key, String value) {
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(value, "value is null");
            options.put(key, value);
            return this;
        }

        /** Sets any key: the storage type, the location or an option. */
        public Builder set(String key, String value) {
            return switch (key) {
                case STORAGE_TYPE -> storageType(value);
                case LOCATION -> location(value);
                default -> option(key, value);
            };
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigurationException naming the key if the storage type or location is
         *     missing or malformed, an option key is malformed, or the declared schema is invalid
         */
        public StorageConfig build() {
            if (storageType == null || storageType.isBlank()) {
                throw new ConfigurationException("Missing required option '" + STORAGE_TYPE
                        + "': name a storage type such as 'memory' or 'parquet-duckdb'");
            }
            String type = storageType.strip();
            if (!TYPE.matcher(type).matches()) {
                throw new ConfigurationException("Invalid option '" + STORAGE_TYPE + "' = '" + storageType
                        + "': a storage type matches [a-z][a-z0-9-]*");
            }
            if (location == null || location.isBlank()) {
                throw new ConfigurationException("Missing required option '" + LOCATION
                        + "' for storage type '" + type + "': the store's base location (a directory, URI or name)");
            }
            SortedMap<String, String> checked = new TreeMap<>();
            for (Map.Entry<String, String> entry : options.entrySet()) {
                String key = entry.getKey();
                if (!KEY.matcher(key).matches()) {
                    throw new ConfigurationException("Invalid option key '" + key
                            + "': keys match [a-z][a-z0-9_]* with optional dot-separated parts");
                }
                checked.put(key, entry.getValue());
            }
            if (checked.containsKey(DIMENSIONS)) {
                try {
                    PointSchema.parse(checked.get(DIMENSIONS));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("Invalid option '" + DIMENSIONS + "' = '"
                            + checked.get(DIMENSIONS) + "': " + e.getMessage(), e);
                }
            }
            return new StorageConfig(type, location.strip(), checked);
        }
    }
}
