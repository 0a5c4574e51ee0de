package org.pocaduck.memory;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.pocaduck.Capability;
import org.pocaduck.StorageConfig;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.spi.BackendFactory;
import org.pocaduck.spi.BackendStore;
import org.pocaduck.spi.ConfigOption;

/**
 * Storage type {@code memory}: the reference backend, holding stores in the heap of this JVM.
 *
 * <p>The location is a name: every {@code Store} opened with the same name in one JVM shares one
 * store, so several worker threads (each with its own {@code Store} or sharing one) write into
 * it and any query sees it after consolidation. Data lives until the JVM exits; nothing is
 * written to disk. No backend options.
 */
@AutoService(BackendFactory.class)
public final class MemoryBackendFactory implements BackendFactory {
    /** The storage type name. */
    public static final String STORAGE_TYPE = "memory";

    /**
     * The stores by name: this factory's, so every {@code Store} opened through {@code PocaDuck}
     * (which keeps one factory per class loader) shares them.
     */
    private final ConcurrentMap<String, MemoryStoreState> stores = new ConcurrentHashMap<>();

    @Override
    public String storageType() {
        return STORAGE_TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.WRITE);
    }

    @Override
    public List<ConfigOption> options() {
        return List.of();
    }

    @Override
    public BackendStore open(StorageConfig config, boolean create) {
        String name = config.location();
        MemoryStoreState state = create ? stores.computeIfAbsent(name, MemoryStoreState::new) : stores.get(name);
        if (state == null) {
            throw new StoreNotFoundException("Cannot open store memory:" + name
                    + ": no memory store of that name exists in this JVM");
        }
        return new MemoryStore(state);
    }
}
