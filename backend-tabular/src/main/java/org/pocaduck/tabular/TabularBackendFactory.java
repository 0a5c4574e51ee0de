package org.pocaduck.tabular;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import org.pocaduck.Capability;
import org.pocaduck.StorageConfig;
import org.pocaduck.spi.BackendFactory;
import org.pocaduck.spi.BackendStore;
import org.pocaduck.spi.ConfigOption;

/**
 * Storage type {@code tabular}: one label -> points table over SQL, the layout of a VastDB table
 * reached through Trino (see {@code docs/FORMAT.md}, section "tabular").
 *
 * <p>The location is a DuckDB database file path (embedded, the default) or
 * {@code trino://host:port} / a {@code jdbc:trino://} URL with the {@code catalog} option.
 * Opening with create makes the schema and tables if missing (the setup step); see
 * {@link TabularSettings#options()} for every option. Data is persistent, and on Trino separate
 * processes may write workers at once; a DuckDB file is open in one process at a time.
 */
@AutoService(BackendFactory.class)
public final class TabularBackendFactory implements BackendFactory {
    /** The storage type name. */
    public static final String STORAGE_TYPE = "tabular";

    /** What this factory's stores share: {@code PocaDuck} keeps one factory per class loader. */
    private final SharedState shared = new SharedState();

    @Override
    public String storageType() {
        return STORAGE_TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.WRITE, Capability.PERSISTENT);
    }

    @Override
    public List<ConfigOption> options() {
        return TabularSettings.allOptions();
    }

    @Override
    public BackendStore open(StorageConfig config, boolean create) {
        return TabularStore.open(shared, TabularSettings.parse(config), config.declaredSchema(), create);
    }
}
