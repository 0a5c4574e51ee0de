package org.pocaduck.options;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pocaduck.StorageConfig;
import picocli.CommandLine.Option;

/**
 * The storage settings every command takes the same way: a properties file ({@code --config},
 * keys as in {@link StorageConfig}) and/or flags, flags winning over the file. A picocli mixin,
 * also used by the Spark job's main class; not thread-safe.
 */
public final class StorageOptions {
    @Option(names = "--storage-type", paramLabel = "TYPE",
            description = "Backend storage type (default: the config file's, else " + Defaults.STORAGE_TYPE + ").")
    private String storageType;

    @Option(names = "--location", paramLabel = "LOCATION",
            description = "The store's location: a directory, URI or name, per backend.")
    private String location;

    @Option(names = {"-O", "--option"}, paramLabel = "KEY=VALUE",
            description = "A backend option (repeatable), e.g. dimensions=x,y,z,supervoxel_id.")
    private Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "A store.properties file with storage_type, location and options.")
    private Path config;

    /** @return whether {@code --location} or {@code --config} was given (commands that can do without a store) */
    public boolean isGiven() {
        return location != null || config != null;
    }

    /**
     * @return the storage settings
     * @throws org.pocaduck.ConfigurationException if the config file cannot be read or a key is invalid
     */
    public StorageConfig toConfig() {
        StorageConfig.Builder builder;
        if (config != null) {
            builder = StorageConfig.load(config).toBuilder();
        } else {
            builder = StorageConfig.builder(Defaults.STORAGE_TYPE);
        }
        if (storageType != null) {
            builder.storageType(storageType);
        }
        if (location != null) {
            builder.location(location);
        }
        options.forEach(builder::set);
        return builder.build();
    }
}
