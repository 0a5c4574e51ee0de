package org.pocaduck.spi;

import java.util.List;
import java.util.Set;
import org.pocaduck.Capability;
import org.pocaduck.StorageConfig;

/**
 * Creates stores of one storage type. Implementations are found with
 * {@link java.util.ServiceLoader} (register them with {@code @AutoService(BackendFactory.class)})
 * and selected by {@link #storageType()}.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor. The
 * {@link org.pocaduck.PocaDuck} entry point validates the config against {@link #options()}
 * before calling {@link #open}, and validates every argument before it reaches a backend object.
 * It loads each factory once per class loader and opens every store through that instance, so
 * what the stores of a backend share in the JVM (stores held in memory, in-JVM locks) belongs in
 * the factory instance, not in static fields.
 */
public interface BackendFactory {
    /** @return the stable lowercase name users select, such as {@code parquet-duckdb} */
    String storageType();

    /** @return the optional abilities of this backend's stores */
    Set<Capability> capabilities();

    /**
     * @return the backend's own option keys (storage type, location and {@code dimensions}
     *     are generic and must not be listed)
     */
    List<ConfigOption> options();

    /**
     * Opens a fully initialised store.
     *
     * @param config a config whose storage type is this factory's and whose options are known
     * @param create true to create the store if it does not exist
     * @return the open store; the caller closes it
     * @throws org.pocaduck.StoreNotFoundException if {@code create} is false and there is no
     *     store at the location
     * @throws org.pocaduck.ConfigurationException if an option value is invalid
     * @throws org.pocaduck.StorageException if the store cannot be opened or created
     */
    BackendStore open(StorageConfig config, boolean create);
}
