package org.pocaduck.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.ConfigurationException;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreNotFoundException;

class TestTabularOptions {
    @TempDir
    Path dir;

    private StorageConfig.Builder duck() {
        return StorageConfig.builder("tabular").location(dir.resolve("t.duckdb").toString());
    }

    @Test
    void trinoOptionsOnADuckdbFileFailNamingTheKey() {
        assertThatThrownBy(() -> PocaDuck.open(duck().option("catalog", "memory").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'catalog'")
                .hasMessageContaining("Trino");
    }

    @Test
    void badNamesAndValuesFailNamingTheRule() {
        assertThatThrownBy(() -> PocaDuck.open(duck().option("table", "x\"; DROP TABLE y").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'table'")
                .hasMessageContaining("[A-Za-z0-9_]");
        assertThatThrownBy(() -> PocaDuck.open(duck().option("encoding", "json").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("packed, array");
        assertThatThrownBy(() -> PocaDuck.open(duck().option("max_payload_bytes", "100").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("below 1KiB");
        assertThatThrownBy(() -> PocaDuck.open(StorageConfig.builder("tabular").location("trino://h:1")
                        .option("catalog", "c").option("max_statement_length", "1000").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'max_statement_length'");
        assertThatThrownBy(() -> PocaDuck.open(StorageConfig.builder("tabular").location("trino://h:1/x?password=p")
                        .option("catalog", "c").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("trino://host:port");
    }

    @Test
    void secretsAreNotInDescriptions() {
        StorageConfig config = StorageConfig.builder("tabular").location("jdbc:trino://h:1?SSL=true&password=hunter2")
                .option("catalog", "c").option("password", "hunter3").option("access_token", "tok").build();
        TabularSettings settings = TabularSettings.parse(config);
        assertThat(settings.describe()).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("tok")
                .contains("c.pocaduck.points");
        assertThat(config.toString()).doesNotContain("hunter3");
    }

    @Test
    void theTablesEncodingWinsAndAnotherOneIsRefused() {
        StorageConfig array = duck().option("encoding", "array").build();
        try (Store store = PocaDuck.open(array)) {
            try (Ingestor ingestor = store.ingestor("w")) {
                ingestor.write(5L, "b", PointCloud.wrap(new long[] {1, Long.MIN_VALUE, -1}, 3));
                ingestor.commit();
            }
        }
        assertThatThrownBy(() -> PocaDuck.open(duck().option("encoding", "packed").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("created with encoding array");
        try (Store store = PocaDuck.openExisting(duck().build()); Query query = store.query()) {
            assertThat(query.points(5L).toArray()).containsExactly(1, Long.MIN_VALUE, -1);
        }
    }

    @Test
    void openExistingNeedsTheFileAndTheTables() {
        assertThatThrownBy(() -> PocaDuck.openExisting(duck().build())).isInstanceOf(StoreNotFoundException.class)
                .hasMessageContaining("does not exist");
        try (Store store = PocaDuck.open(duck().option("table", "other").build())) {
            assertThat(store.storageType()).isEqualTo("tabular");
        }
        assertThatThrownBy(() -> PocaDuck.openExisting(duck().build())).isInstanceOf(StoreNotFoundException.class)
                .hasMessageContaining("tables do not exist");
    }
}
