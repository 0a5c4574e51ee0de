package org.pocaduck.parquet;

import com.google.auto.service.AutoService;
import java.util.List;
import java.util.Set;
import org.pocaduck.Capability;
import org.pocaduck.StorageConfig;
import org.pocaduck.parquet.io.Locks;
import org.pocaduck.spi.BackendFactory;
import org.pocaduck.spi.BackendStore;
import org.pocaduck.spi.ConfigOption;

/**
 * Storage type {@code parquet-duckdb}: the embedded default. The location is a local directory;
 * each worker writes label-sorted Parquet files and a DuckDB index of its own, and consolidation
 * builds one DuckDB index over every committed worker. Layout: {@code docs/FORMAT.md}.
 *
 * <p>Worker processes on one shared directory never share a DuckDB file (DuckDB allows one
 * writing process per database file); consolidation and queries open indexes read-only.
 * Thread-safe.
 */
@AutoService(BackendFactory.class)
public final class ParquetDuckdbBackendFactory implements BackendFactory {
    /** The storage type name. */
    public static final String STORAGE_TYPE = "parquet-duckdb";

    /** The in-JVM half of every store lock of this factory's stores ({@code PocaDuck} keeps one factory). */
    private final Locks locks = new Locks();

    @Override
    public String storageType() {
        return STORAGE_TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.WRITE, Capability.PERSISTENT, Capability.MULTI_PROCESS);
    }

    @Override
    public List<ConfigOption> options() {
        return Settings.OPTIONS;
    }

    @Override
    public BackendStore open(StorageConfig config, boolean create) {
        return ParquetDuckdbStore.open(config, Settings.from(config), create, locks);
    }
}
