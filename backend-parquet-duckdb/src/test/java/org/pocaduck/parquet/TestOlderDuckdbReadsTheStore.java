package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.PocaduckPoints;

/**
 * Every DuckDB file of a store (the worker run indexes and the consolidated index) opens in
 * DuckDB 1.2.2, the engine the Python original pins, run in a child JVM with only that driver on
 * its class path; DuckDB 2.0's default storage version would fail there ("created with a newer
 * version of DuckDB").
 */
class TestOlderDuckdbReadsTheStore {
    @TempDir
    Path tempDir;

    @Test
    void duckdbOnePointTwoReadsEveryIndexFile() throws Exception {
        PocaduckPoints data = PocaduckPoints.load();
        Path location = tempDir.resolve("store");
        StorageConfig config = StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE).location(location)
                .build();
        try (Store store = PocaDuck.open(config)) {
            List<Map.Entry<Long, Map.Entry<String, PointCloud>>> clouds = new ArrayList<>();
            data.clouds().forEach((label, blocks) -> blocks.forEach((block, cloud) ->
                    clouds.add(Map.entry(label, Map.entry(block, cloud)))));
            for (int w = 0; w < 2; w++) {
                try (Ingestor ingestor = store.ingestor("w" + w)) {
                    for (int i = w; i < clouds.size(); i += 2) {
                        ingestor.write(clouds.get(i).getKey(), clouds.get(i).getValue().getKey(),
                                clouds.get(i).getValue().getValue());
                    }
                    ingestor.commit();
                }
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.stats().points()).isEqualTo(787);
            }
        }
        List<Path> indexes;
        try (Stream<Path> files = Files.walk(location)) {
            indexes = files.filter(p -> p.getFileName().toString().endsWith(".duckdb")).sorted().toList();
        }
        assertThat(indexes).hasSize(3);

        Map<String, String> read = readWithOlderDuckdb(indexes);
        assertThat(read.get("ENGINE")).startsWith("v1.2.2");
        long workerPoints = 0;
        for (Path index : indexes) {
            String[] counts = read.get(index.toString()).split(" ");
            assertThat(Long.parseLong(counts[0])).as("index rows of %s", index).isPositive();
            if (index.getParent().getFileName().toString().equals("index")) {
                assertThat(Long.parseLong(counts[1])).as("points in the consolidated index").isEqualTo(787);
            } else {
                workerPoints += Long.parseLong(counts[1]);
            }
        }
        assertThat(workerPoints).isEqualTo(787);
    }

    /** @return "ENGINE" -> the older engine's version, and each file -> "rows points" */
    private static Map<String, String> readWithOlderDuckdb(List<Path> files) throws Exception {
        Path testClasses = Path.of(OlderDuckdbReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path olderDir = testClasses.getParent().resolve("older-duckdb");
        Path driver;
        try (Stream<Path> jars = Files.list(olderDir)) {
            driver = jars.filter(p -> p.getFileName().toString().startsWith("duckdb_jdbc-1.")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no DuckDB 1.x driver in " + olderDir
                            + " (the build copies it there)"));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", testClasses + java.io.File.pathSeparator + driver,
                OlderDuckdbReader.class.getName()));
        files.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("DuckDB 1.2 reader: %s", output).isZero();
        Map<String, String> read = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("ENGINE ")) {
                read.put("ENGINE", line.substring(7));
            } else if (line.startsWith("FILE ")) {
                int last = line.lastIndexOf(' ');
                int before = line.lastIndexOf(' ', last - 1);
                read.put(line.substring(5, before), line.substring(before + 1));
            }
        }
        return read;
    }
}
