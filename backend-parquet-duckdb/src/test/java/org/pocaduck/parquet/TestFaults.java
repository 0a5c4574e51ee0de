package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.ConfigurationException;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.WorkerBusyException;
import org.pocaduck.testkit.PocaduckPoints;

/** Missing, truncated and corrupt files and unusable locations fail naming the path and problem. */
class TestFaults {
    @TempDir
    Path tempDir;

    private StorageConfig config;
    private PocaduckPoints data;

    @BeforeEach
    void writeStore() {
        data = PocaduckPoints.load();
        config = StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE).location(tempDir.resolve("store"))
                .option(Settings.CACHE_BYTES, "0").build();
        try (Store store = PocaDuck.open(config)) {
            for (int w = 0; w < 2; w++) {
                try (Ingestor ingestor = store.ingestor("w" + w)) {
                    int worker = w;
                    data.clouds().forEach((label, blocks) -> blocks.forEach((block, cloud) -> {
                        if (Math.floorMod(block.hashCode(), 2) == worker) {
                            ingestor.write(label, block, cloud);
                        }
                    }));
                    ingestor.commit();
                }
            }
            store.consolidate();
        }
    }

    private Path dataFile(String worker) throws IOException {
        try (Stream<Path> walk = Files.walk(tempDir.resolve("store/workers/" + worker))) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    private void assertEveryLabelReadable() {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(data.labels());
            for (long label : data.labels()) {
                assertThat(query.points(label).sorted()).isEqualTo(data.pointsOf(label).sorted());
            }
        }
    }

    /** Reads every label; the first failure must name the file. */
    private void readAll(Query query) {
        for (long label : data.labels()) {
            query.points(label);
        }
    }

    @Test
    void missingDataFileFailsNamingItAndConsolidationKeepsThePreviousIndex() throws IOException {
        Path file = dataFile("w0");
        Path moved = file.resolveSibling("moved-away");
        Files.move(file, moved);
        try (Store store = PocaDuck.openExisting(config)) {
            try (Query query = store.query()) {
                assertThatThrownBy(() -> readAll(query)).isInstanceOf(StorageException.class)
                        .hasMessageContaining(file.toString()).hasMessageContaining("is missing");
            }
            assertThatThrownBy(store::consolidate).isInstanceOf(StorageException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("missing")
                    .hasMessageContaining("previous consolidated index is kept");
        }
        Files.move(moved, file);
        assertEveryLabelReadable();
    }

    @Test
    void truncatedDataFileFailsNamingIt() throws IOException {
        Path file = dataFile("w1");
        byte[] whole = Files.readAllBytes(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(whole.length / 2);
        }
        try (Store store = PocaDuck.openExisting(config)) {
            try (Query query = store.query()) {
                assertThatThrownBy(() -> readAll(query)).isInstanceOf(StorageException.class)
                        .hasMessageContaining(file.toString()).hasMessageContaining("truncated or corrupt");
            }
            assertThatThrownBy(store::consolidate).isInstanceOf(StorageException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
        }
        Files.write(file, whole);
        assertEveryLabelReadable();
    }

    @Test
    void corruptConsolidatedIndexFailsNamingIt() throws IOException {
        Path index = tempDir.resolve("store/index").resolve(
                Files.readString(tempDir.resolve("store/index/CURRENT")).strip());
        Files.write(index, "this is not a DuckDB database".repeat(100).getBytes(StandardCharsets.UTF_8));
        try (Store store = PocaDuck.openExisting(config)) {
            assertThatThrownBy(store::query).isInstanceOf(StorageException.class)
                    .hasMessageContaining(index.toString()).hasMessageContaining("unreadable or corrupt");
            // Consolidating again rebuilds the index from the worker indexes.
            store.consolidate();
        }
        // The rebuilt index is a new file that CURRENT names; the corrupt one is no longer read.
        String rebuilt = Files.readString(tempDir.resolve("store/index/CURRENT")).strip();
        assertThat(rebuilt).isNotEqualTo(index.getFileName().toString());
        assertEveryLabelReadable();
    }

    @Test
    void corruptWorkerIndexFailsConsolidationNamingItAndKeepsThePreviousIndex() throws IOException {
        Path workerIndex;
        try (Stream<Path> walk = Files.walk(tempDir.resolve("store/workers/w0"))) {
            workerIndex = walk.filter(p -> p.getFileName().toString().equals("index.duckdb")).findFirst().orElseThrow();
        }
        Files.write(workerIndex, new byte[4096]);
        try (Store store = PocaDuck.openExisting(config)) {
            assertThatThrownBy(store::consolidate).isInstanceOf(StorageException.class)
                    .hasMessageContaining(workerIndex.toString());
        }
        assertEveryLabelReadable();
    }

    @Test
    void storeOfANewerFormatVersionFailsNamingTheManifest() throws IOException {
        Path manifest = tempDir.resolve("store/manifest.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"format_version\" : 1", "\"format_version\" : 2"));
        assertThat(Files.readString(manifest)).contains("\"format_version\" : 2");
        assertThatThrownBy(() -> PocaDuck.openExisting(config)).isInstanceOf(StorageException.class)
                .hasMessageContaining(manifest.toString()).hasMessageContaining("format version 2");
        Files.writeString(manifest, text);
        assertEveryLabelReadable();
    }

    @Test
    void unreadableManifestFailsNamingIt() throws IOException {
        Path manifest = tempDir.resolve("store/manifest.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, "{ not json");
        assertThatThrownBy(() -> PocaDuck.openExisting(config)).isInstanceOf(StorageException.class)
                .hasMessageContaining(manifest.toString());
        Files.writeString(manifest, text);
        assertEveryLabelReadable();
    }

    @Test
    void locationThatIsNotADirectoryFailsNamingIt() throws IOException {
        Path file = Files.writeString(tempDir.resolve("a-file"), "x");
        StorageConfig atFile = StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE).location(file).build();
        assertThatThrownBy(() -> PocaDuck.open(atFile)).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a directory");
    }

    @Test
    void workerOfAnotherStoreInstanceIsRefusedWhileItRuns() {
        try (Store one = PocaDuck.openExisting(config); Store two = PocaDuck.openExisting(config);
                Ingestor running = one.ingestor("busy")) {
            running.write(1L, "b", PointCloud.copyOf(new long[] {1, 2, 3, 4}, 4));
            assertThatThrownBy(() -> two.ingestor("busy")).isInstanceOf(WorkerBusyException.class)
                    .hasMessageContaining("busy").hasMessageContaining("worker.lock");
        }
    }

    @Test
    void invalidOptionValuesFailNamingTheKey() {
        for (Map.Entry<String, String> bad : List.of(Map.entry(Settings.BUFFER_BYTES, "12"),
                Map.entry(Settings.ZSTD_LEVEL, "99"), Map.entry(Settings.CACHE_BYTES, "lots"))) {
            StorageConfig wrong = config.toBuilder().option(bad.getKey(), bad.getValue()).build();
            assertThatThrownBy(() -> PocaDuck.open(wrong)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void cacheServesRepeatedReadsAndCanBeTurnedOff() {
        long label = data.labels()[0];
        StorageConfig cached = config.toBuilder().option(Settings.CACHE_BYTES, "16MiB").build();
        try (Store store = PocaDuck.openExisting(cached); Query query = store.query()) {
            assertThat(query.pointsTimed(label).timing().cacheHit()).isFalse();
            assertThat(query.pointsTimed(label).timing().cacheHit()).isTrue();
            assertThat(query.points(label).sorted()).isEqualTo(data.pointsOf(label).sorted());
        }
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            query.points(label);
            assertThat(query.pointsTimed(label).timing().cacheHit()).isFalse();
            assertThat(query.pointsTimed(label).timing().filesTouched()).isPositive();
        }
    }
}
