package org.pocaduck.python;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import org.pocaduck.Capability;
import org.pocaduck.StorageConfig;
import org.pocaduck.spi.BackendFactory;
import org.pocaduck.spi.BackendStore;
import org.pocaduck.spi.ConfigOption;

/**
 * Storage type {@value #STORAGE_TYPE}: reads, in place and read-only, a store written by the
 * original Python PoCADuck (JaneliaSciComp/pocaduck), before or after its optimizer ran. The
 * location is the store's root directory; there are no other options. Layout and semantics:
 * the {@linkplain org.pocaduck.python package documentation}.
 *
 * <p>No capabilities: {@link org.pocaduck.Store#ingestor(String)} and
 * {@link org.pocaduck.Store#consolidate()} throw {@link UnsupportedOperationException}; copy a
 * store into a writable type with {@code pocaduck migrate} to write. Opening never creates a store:
 * a location that is not a directory holding one of the original's index files gives
 * {@link org.pocaduck.StoreNotFoundException}, even from {@link org.pocaduck.PocaDuck#open}.
 *
 * <p>Thread-safe; stateless.
 */
@AutoService(BackendFactory.class)
public final class PythonStoreBackendFactory implements BackendFactory {
    /** The storage type name. */
    public static final String STORAGE_TYPE = "pocaduck-python";

    /**
     * The one block id reported for a label whose block ids are unknown: a label the optimizer's
     * index lists while the store's unoptimized files are gone (or not all there). Its points
     * are {@code points(label)}, its block count is 1, and {@code points(label, Set.of("unknown"))}
     * reads them all.
     */
    public static final String UNKNOWN_BLOCK = "unknown";

    @Override
    public String storageType() {
        return STORAGE_TYPE;
    }

    /** @return no capabilities: the store is read-only (no {@link Capability#WRITE}) */
    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    /** @return no options beyond the location */
    @Override
    public List<ConfigOption> options() {
        return List.of();
    }

    /**
     * Opens the store at the config's location (its root directory).
     *
     * @param create ignored: this type cannot create stores
     * @throws org.pocaduck.StoreNotFoundException if the location holds none of
     *     {@code unified_index.db}, {@code worker_<id>/index_<id>.db} or
     *     {@code optimized/optimized_index.db}, whatever {@code create} is
     * @throws org.pocaduck.StorageException if an index cannot be read
     */
    @Override
    public BackendStore open(StorageConfig config, boolean create) {
        return PythonStore.open(config);
    }
}
