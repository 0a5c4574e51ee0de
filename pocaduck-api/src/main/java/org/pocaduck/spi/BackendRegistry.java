package org.pocaduck.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pocaduck.ConfigurationException;

/**
 * The backends available to a class loader, by storage type.
 *
 * <p>Selection is deterministic: two factories with one storage type fail naming both classes,
 * and an unknown type fails listing the available ones. Immutable and thread-safe.
 */
public final class BackendRegistry {
    private final SortedMap<String, BackendFactory> factories;

    private BackendRegistry(SortedMap<String, BackendFactory> factories) {
        this.factories = Collections.unmodifiableSortedMap(factories);
    }

    /**
     * Finds every {@link BackendFactory} registered with {@link ServiceLoader} in the class loader
     * that loaded PoCADuck.
     *
     * @throws ConfigurationException if two factories declare one storage type
     */
    public static BackendRegistry load() {
        ClassLoader loader = BackendRegistry.class.getClassLoader();
        return of(ServiceLoader.load(BackendFactory.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    /**
     * A registry of the given factories.
     *
     * @throws ConfigurationException if two factories declare one storage type
     */
    public static BackendRegistry of(List<? extends BackendFactory> factories) {
        SortedMap<String, BackendFactory> byType = new TreeMap<>();
        for (BackendFactory factory : factories) {
            String type = Objects.requireNonNull(factory.storageType(),
                    () -> factory.getClass().getName() + ".storageType() is null");
            BackendFactory earlier = byType.putIfAbsent(type, factory);
            if (earlier != null) {
                throw new ConfigurationException("Cannot choose a backend for storage type '" + type
                        + "': two factories declare it: " + earlier.getClass().getName() + " and "
                        + factory.getClass().getName() + "; remove one from the class path");
            }
        }
        return new BackendRegistry(byType);
    }

    /** @return the storage types available, sorted */
    public List<String> storageTypes() {
        return List.copyOf(factories.keySet());
    }

    /** @return every factory by storage type */
    public Map<String, BackendFactory> factories() {
        return factories;
    }

    /**
     * The factory of a storage type.
     *
     * @throws ConfigurationException if none is registered, listing the available types
     */
    public BackendFactory factory(String storageType) {
        BackendFactory factory = factories.get(storageType);
        if (factory == null) {
            throw new ConfigurationException("Unknown storage type '" + storageType + "'; available: "
                    + (factories.isEmpty() ? "none" : String.join(", ", factories.keySet()))
                    + ". Add the backend's module (for example org.pocaduck:backend-" + storageType
                    + ") to the class path");
        }
        return factory;
    }
}
