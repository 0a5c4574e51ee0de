package org.pocaduck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.pocaduck.spi.BackendFactory;
import org.pocaduck.spi.BackendRegistry;
import org.pocaduck.spi.ConfigOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: opens stores of any storage type on the class path.
 *
 * <p>A typical job opens one {@link Store}, gives each worker an {@link Ingestor}, closes them
 * (which commits), calls {@link Store#consolidate()}, and then reads through {@link Query}.
 * Thread-safe.
 */
public final class PocaDuck {
    private static final Logger LOG = LoggerFactory.getLogger(PocaDuck.class);

    /**
     * The backends of the class loader that loaded PoCADuck, found once with
     * {@link java.util.ServiceLoader}: every store opened here goes through the same factory
     * instance, so a factory may keep what its stores share in the JVM (the memory backend's
     * stores, in-JVM locks, a clock), and the chosen backend is logged once per storage type.
     */
    private static final class Backends {
        static final BackendRegistry REGISTRY = BackendRegistry.load();
        static final Set<String> ANNOUNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    }

    private PocaDuck() {
    }

    /**
     * Opens the store at the config's location, creating it if it does not exist.
     *
     * @param config where the store lives and how to reach it
     * @return the open store; the caller closes it
     * @throws ConfigurationException if the storage type is unknown (the message lists the
     *     available ones), an option is unknown, or a required option is missing
     * @throws SchemaMismatchException if the config declares a schema that differs from the
     *     store's
     * @throws StorageException if the store cannot be opened or created
     */
    public static Store open(StorageConfig config) {
        return open(config, true);
    }

    /**
     * Opens an existing store.
     *
     * @param config where the store lives and how to reach it
     * @return the open store; the caller closes it
     * @throws StoreNotFoundException if there is no store at the location
     * @throws ConfigurationException as for {@link #open(StorageConfig)}
     * @throws StorageException if the store cannot be opened
     */
    public static Store openExisting(StorageConfig config) {
        return open(config, false);
    }

    /**
     * Opens the store, merges every committed worker's output so queries see it, and closes it.
     * Running it twice gives the same result as once.
     *
     * @throws ConfigurationException as for {@link #open(StorageConfig)}
     * @throws StoreNotFoundException if there is no store at the location
     * @throws SchemaMismatchException if workers wrote different point schemas
     * @throws StorageException if the merge fails; the previous consolidated state is kept
     */
    public static void consolidate(StorageConfig config) {
        try (Store store = openExisting(config)) {
            store.consolidate();
        }
    }

    /** @return the storage types of the backends on the class path, sorted */
    public static List<String> storageTypes() {
        return Backends.REGISTRY.storageTypes();
    }

    private static Store open(StorageConfig config, boolean create) {
        Objects.requireNonNull(config, "config is null");
        BackendFactory factory = Backends.REGISTRY.factory(config.storageType());
        checkOptions(config, factory);
        if (Backends.ANNOUNCED.add(config.storageType())) {
            LOG.info("Storage type '{}' is served by {}", config.storageType(), factory.getClass().getName());
        }
        LOG.debug("Opening {}", config);
        return new Store(config, factory.capabilities(), factory.open(config, create));
    }

    private static void checkOptions(StorageConfig config, BackendFactory factory) {
        Set<String> known = new LinkedHashSet<>();
        known.add(StorageConfig.DIMENSIONS);
        List<String> missing = new ArrayList<>();
        for (ConfigOption option : factory.options()) {
            known.add(option.key());
            if (option.required() && config.option(option.key()).isEmpty()) {
                missing.add("'" + option.key() + "' (" + option.description() + ")");
            }
        }
        for (String key : config.options().keySet()) {
            if (!known.contains(key)) {
                throw new ConfigurationException("Unknown option '" + key + "' for storage type '"
                        + config.storageType() + "'; known options: " + String.join(", ", known));
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("Missing required option " + String.join(", ", missing)
                    + " for storage type '" + config.storageType() + "'");
        }
    }
}
