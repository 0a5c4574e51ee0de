package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * compare on stores of one FIB-19 block: parquet-duckdb with 32^3 and 64^3 blocks, and tabular on
 * embedded DuckDB.
 */
class TestCompareCommand {
    private static final Path VOLUME = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");
    private static final LabelStats STATS =
            LabelStats.read(SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.label_stats.csv"));
    private static String small;
    private static String large;
    private static String tabular;

    @TempDir
    static Path stores;

    @TempDir
    Path dir;

    @BeforeAll
    static void scan() {
        small = Cli.freshStore(stores, "compare-32");
        large = Cli.freshStore(stores, "compare-64");
        Cli.ok("scan", VOLUME.toString(), "--location", small, "--block-size", "32", "--quiet");
        Cli.ok("scan", VOLUME.toString(), "--location", large, "--block-size", "64", "--quiet");
        tabular = Cli.freshStore(stores, "compare-tabular") + ".duckdb";
        Cli.ok("scan", VOLUME.toString(), "--storage-type", "tabular", "--location", tabular, "--quiet");
    }

    @Test
    void pointsOfRandomLabelsOnTwoStores() throws IOException {
        Cli.Run run = Cli.ok("compare", "--store", "blocks32=parquet-duckdb:" + small, "--store", "tabular:" + tabular,
                "--labels", "20", "--seed", "7", "--warmup", "2", "--output", dir.toString());

        assertThat(run.out()).contains("points of 20 labels (--labels 20, seed 7)").contains("blocks32")
                .contains("p50 ms").contains("mismatches").contains("open ms");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("compare.json").toFile());
        assertThat(json.get("operation").asText()).isEqualTo("points");
        assertThat(json.get("stores")).hasSize(2);
        assertThat(json.get("stores").get(0).get("store").asText()).isEqualTo("blocks32");
        assertThat(json.get("stores").get(1).get("store").asText()).isEqualTo("tabular");
        assertThat(json.get("stores").get(1).get("backend").asText()).isEqualTo("tabular");
        long firstPoints = json.get("stores").get(0).get("points").asLong();
        assertThat(firstPoints).isPositive();
        for (JsonNode store : json.get("stores")) {
            assertThat(store.get("queries").asInt()).isEqualTo(20);
            assertThat(store.get("latencies_ms")).hasSize(20);
            assertThat(store.get("p50_ms").asDouble()).isLessThanOrEqualTo(store.get("p90_ms").asDouble());
            assertThat(store.get("p90_ms").asDouble()).isLessThanOrEqualTo(store.get("p99_ms").asDouble());
            assertThat(store.get("p99_ms").asDouble()).isLessThanOrEqualTo(store.get("max_ms").asDouble());
            assertThat(store.get("max_ms").asDouble()).isEqualTo(store.get("latencies_ms").get(19).asDouble());
            assertThat(store.get("points").asLong()).isEqualTo(firstPoints);
            assertThat(store.get("mismatches").asLong()).isZero();
            assertThat(store.get("open_ms").asDouble()).isPositive();
            assertThat(store.get("points_per_second").asDouble()).isPositive();
        }
        String markdown = Files.readString(dir.resolve("compare.md"));
        assertThat(markdown).contains("| store | type | queries | p50 ms").contains("| blocks32 | parquet-duckdb | 20 |");
        BufferedImage chart = ImageIO.read(dir.resolve("compare.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(1000);
        assertThat(chart.getHeight()).isEqualTo(600);
    }

    @Test
    void countsOfAllLabelsFromAPropertiesFile() throws IOException {
        Path properties = dir.resolve("store.properties");
        Files.writeString(properties, "storage_type=parquet-duckdb\nlocation=" + large + "\n");
        Cli.ok("compare", "--store", properties.toString(), "--store", "parquet-duckdb:" + small, "--labels", "all",
                "--operation", "count", "--warmup", "0", "--output", dir.toString());

        JsonNode json = new ObjectMapper().readTree(dir.resolve("compare.json").toFile());
        for (JsonNode store : json.get("stores")) {
            assertThat(store.get("queries").asInt()).isEqualTo(STATS.labels().length);
            assertThat(store.get("points").asLong()).isEqualTo(STATS.totalVoxels());
        }
        assertThat(json.get("stores").get(1).get("store").asText()).isEqualTo("parquet-duckdb-2");
    }

    @Test
    void streamBlocksReadsEveryPointOfEveryLabel() throws IOException {
        Cli.ok("compare", "--store", "parquet-duckdb:" + large, "--labels", "all", "--operation", "streamBlocks",
                "--warmup", "0", "--output", dir.toString());

        JsonNode store = new ObjectMapper().readTree(dir.resolve("compare.json").toFile()).get("stores").get(0);
        assertThat(store.get("queries").asInt()).isEqualTo(STATS.labels().length);
        assertThat(store.get("points").asLong()).isEqualTo(STATS.totalVoxels());
        assertThat(store.get("rows_read").asLong()).isEqualTo(STATS.totalVoxels());
    }

    @Test
    void anEarlierRunIsReportedBesideThisOne() throws IOException {
        Path earlier = dir.resolve("earlier");
        Cli.ok("compare", "--store", "blocks64=parquet-duckdb:" + large, "--labels", "15", "--seed", "3",
                "--warmup", "0", "--output", earlier.toString());
        JsonNode before = new ObjectMapper().readTree(earlier.resolve("compare.json").toFile()).get("stores").get(0);

        Path now = dir.resolve("now");
        Cli.ok("compare", "--store", "blocks64=parquet-duckdb:" + large, "--labels", "15", "--seed", "3",
                "--warmup", "0", "--against", "before=" + earlier.resolve("compare.json"), "--output", now.toString());
        JsonNode stores = new ObjectMapper().readTree(now.resolve("compare.json").toFile()).get("stores");
        assertThat(stores).hasSize(2);
        assertThat(stores.get(0).get("store").asText()).isEqualTo("before/blocks64");
        for (String key : new String[] {"p50_ms", "p99_ms", "max_ms", "points", "bytes_read", "latencies_ms"}) {
            assertThat(stores.get(0).get(key)).as(key).isEqualTo(before.get(key));
        }
        assertThat(stores.get(1).get("store").asText()).isEqualTo("blocks64");
        assertThat(stores.get(1).get("points").asLong()).isEqualTo(before.get("points").asLong());
        assertThat(Files.readString(now.resolve("compare.md"))).contains("| before/blocks64 | parquet-duckdb | 15 |");
        assertThat(ImageIO.read(now.resolve("compare.png").toFile()).getWidth()).isEqualTo(1000);

        // Another workload is refused, naming what differs.
        Cli.Run refused = Cli.run("compare", "--store", "parquet-duckdb:" + large, "--labels", "15", "--seed", "4",
                "--warmup", "0", "--against", earlier.resolve("compare.json").toString(), "--output",
                dir.resolve("refused").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("Cannot compare against " + earlier.resolve("compare.json")
                + ": its seed is '3', this run's is '4'");
    }

    @Test
    void badStoreIsNamed() {
        Cli.Run run = Cli.run("compare", "--store", "no-such-file", "--output", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Cannot use store no-such-file");
    }
}
