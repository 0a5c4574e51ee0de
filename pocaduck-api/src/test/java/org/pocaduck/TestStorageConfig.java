package org.pocaduck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStorageConfig {
    @TempDir
    Path dir;

    @Test
    void mapPropertiesFileAndBuilderAgree() throws IOException {
        StorageConfig built = StorageConfig.builder("parquet-duckdb").location("/data/store")
                .option("buffer_size", "256MiB").build();
        StorageConfig fromMap = StorageConfig.fromMap(Map.of("storage_type", "parquet-duckdb",
                "location", "/data/store", "buffer_size", "256MiB"));
        Path file = dir.resolve("store.properties");
        Files.writeString(file, "storage_type=parquet-duckdb\nlocation=/data/store\nbuffer_size=256MiB\n");
        assertThat(fromMap).isEqualTo(built);
        assertThat(StorageConfig.load(file)).isEqualTo(built);
        assertThat(StorageConfig.fromProperties(built.toProperties())).isEqualTo(built);
        assertThat(built.options()).containsOnlyKeys("buffer_size");
    }

    @Test
    void masksSecretsInToString() {
        StorageConfig config = StorageConfig.builder("tabular")
                .location("jdbc:trino://h:8443/c?user=u&password=hunter2")
                .option("trino.password", "hunter2").option("access_token", "abc123").option("user", "alice").build();
        assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("abc123")
                .contains("user=alice").contains("trino.password=****");
    }

    @Test
    void typedOptionsParseOrNameTheBadKey() {
        StorageConfig config = StorageConfig.builder("x").location("y").option("size", "256MiB")
                .option("plain", "1024").option("count", "12").option("flag", "TRUE").option("bad", "lots").build();
        assertThat(config.byteSizeOption("size", 0)).isEqualTo(256L << 20);
        assertThat(config.byteSizeOption("plain", 0)).isEqualTo(1024);
        assertThat(config.byteSizeOption("missing", 7)).isEqualTo(7);
        assertThat(config.intOption("count", 0)).isEqualTo(12);
        assertThat(config.booleanOption("flag", false)).isTrue();
        assertThatThrownBy(() -> config.byteSizeOption("bad", 0)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'bad'").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> config.intOption("bad", 0)).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> config.booleanOption("bad", false)).hasMessageContaining("not true or false");
        assertThatThrownBy(() -> config.requireOption("absent")).hasMessageContaining("'absent'");
    }

    @Test
    void buildRejectsBadKeysAndValuesNamingThem() {
        assertThatThrownBy(() -> StorageConfig.builder("memory").build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'location'");
        assertThatThrownBy(() -> StorageConfig.builder(" ").location("x").build())
                .hasMessageContaining("'storage_type'");
        assertThatThrownBy(() -> StorageConfig.builder("Bad Type").location("x").build())
                .hasMessageContaining("'Bad Type'");
        assertThatThrownBy(() -> StorageConfig.builder("memory").location("x").option("Bad-Key", "1").build())
                .hasMessageContaining("'Bad-Key'");
        assertThatThrownBy(() -> StorageConfig.builder("memory").location("x").option("dimensions", "x,x").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'dimensions'");
        assertThatThrownBy(() -> StorageConfig.load(dir.resolve("absent.properties")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("absent.properties");
    }

    @Test
    void declaredSchemaComesFromDimensions() {
        StorageConfig config = StorageConfig.builder("memory").location("x")
                .schema(PointSchema.parse("x,y,z,supervoxel_id")).build();
        assertThat(config.declaredSchema()).contains(PointSchema.parse("x,y,z,supervoxel_id"));
        assertThat(config.option("dimensions")).contains("x,y,z,supervoxel_id");
    }
}
