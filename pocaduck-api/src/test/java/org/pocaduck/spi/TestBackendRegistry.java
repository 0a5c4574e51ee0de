package org.pocaduck.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pocaduck.Capability;
import org.pocaduck.ConfigurationException;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;

class TestBackendRegistry {
    /** A factory that only has a name: selection never opens a store here. */
    static class NamedFactory implements BackendFactory {
        private final String type;

        NamedFactory(String type) {
            this.type = type;
        }

        @Override
        public String storageType() {
            return type;
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public List<ConfigOption> options() {
            return List.of();
        }

        @Override
        public BackendStore open(StorageConfig config, boolean create) {
            throw new StorageException("Cannot open store " + config.location() + ": test factory");
        }
    }

    static final class OtherNamedFactory extends NamedFactory {
        OtherNamedFactory(String type) {
            super(type);
        }
    }

    @Test
    void selectsByStorageTypeAndListsTypesSorted() {
        BackendRegistry registry = BackendRegistry.of(List.of(new NamedFactory("zeta"), new NamedFactory("alpha")));
        assertThat(registry.storageTypes()).containsExactly("alpha", "zeta");
        assertThat(registry.factory("zeta").storageType()).isEqualTo("zeta");
    }

    @Test
    void unknownTypeListsTheAvailableOnesAndTheModuleToAdd() {
        BackendRegistry registry = BackendRegistry.of(List.of(new NamedFactory("memory"), new NamedFactory("tabular")));
        assertThatThrownBy(() -> registry.factory("parquet-duckdb")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'parquet-duckdb'").hasMessageContaining("available: memory, tabular")
                .hasMessageContaining("backend-parquet-duckdb");
    }

    @Test
    void twoFactoriesWithOneNameFailNamingBothClasses() {
        assertThatThrownBy(() -> BackendRegistry.of(List.of(new NamedFactory("dup"), new OtherNamedFactory("dup"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'dup'")
                .hasMessageContaining(NamedFactory.class.getName())
                .hasMessageContaining(OtherNamedFactory.class.getName());
    }

    @Test
    void serviceLoaderFindsOnlyTheBackendsOnTheClassPath() {
        // The API module has no backend of its own; its tests register one test storage type.
        assertThat(BackendRegistry.load().storageTypes()).containsExactly("test-label-count");
        assertThatThrownBy(() -> BackendRegistry.load().factory("memory"))
                .hasMessageContaining("'memory'").hasMessageContaining("available: test-label-count");
    }
}
