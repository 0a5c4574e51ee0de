package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.SharedData;

/**
 * Cluster mode: three workers, each scanning its share of the blocks, plus a consolidation,
 * store the same as a single-process scan. Here the three workers run as three command
 * invocations in this JVM, one after another; {@link TestClusterModeProcesses} runs them as
 * separate processes at once.
 */
class TestClusterMode {
    private static final Path VOLUME = SharedData.resolve("neuroproof_ts2/overseg_supervoxels.u64.raw.gz");

    @Test
    void threeWorkersPlusConsolidateEqualOneScan() {
        String single = Cli.freshStore("overseg-single");
        Cli.ok("scan", VOLUME.toString(), "--location", single, "--block-size", "40", "--quiet");

        String cluster = Cli.freshStore("overseg-cluster");
        List<String> summaries = new ArrayList<>();
        for (int worker = 0; worker < 3; worker++) {
            summaries.add(Cli.ok("scan", VOLUME.toString(), "--location", cluster, "--block-size", "40",
                    "--worker-index", Integer.toString(worker), "--worker-count", "3").out());
        }
        // Worker 1 "crashed" and is rerun: its new output replaces the old one.
        Cli.ok("scan", VOLUME.toString(), "--location", cluster, "--block-size", "40", "--worker-index", "1",
                "--worker-count", "3", "--workers", "2", "--quiet");
        assertThat(summaries.getFirst()).contains("as worker 0 of 3").contains("not consolidated");
        try (Store store = open(cluster); Query query = store.query()) {
            assertThat(query.labels()).as("nothing visible before consolidation").isEmpty();
        }
        // 7 x 7 x 7 = 343 blocks of 40^3 (49 per z row): shares of 114, 114 and 115 blocks end mid-row.
        assertThat(summaries).allMatch(s -> s.contains("in 40x40x40 blocks with 1 worker thread(s)"));

        Cli.Run consolidate = Cli.ok("consolidate", "--location", cluster);
        assertThat(consolidate.out()).startsWith("Consolidated parquet-duckdb " + cluster + ": 3,337 labels, 15,625,000 points");

        try (Store one = open(single); Query expected = one.query(); Store many = open(cluster);
                Query actual = many.query()) {
            assertThat(actual.stats().points()).isEqualTo(expected.stats().points()).isEqualTo(15_625_000);
            assertThat(actual.stats().labelBlockPairs()).isEqualTo(expected.stats().labelBlockPairs());
            assertThat(actual.labels()).containsExactly(expected.labels());
            for (long label : expected.labels()) {
                assertThat(actual.blocks(label)).as("blocks of %s", Labels.format(label))
                        .containsExactlyInAnyOrderElementsOf(expected.blocks(label));
                PointCloud want = expected.points(label);
                PointCloud got = actual.points(label);
                assertThat(got.size()).isEqualTo(want.size());
                assertThat(pointHash(got)).as("points of %s", Labels.format(label)).isEqualTo(pointHash(want));
            }
        }
    }

    /** An order-independent hash of a cloud's points (a sum of per-point mixes). */
    private static long pointHash(PointCloud points) {
        long sum = 0;
        for (int p = 0; p < points.size(); p++) {
            long h = 0;
            for (int d = 0; d < points.dimensions(); d++) {
                h = (h ^ points.get(p, d)) * 0x9E3779B97F4A7C15L;
                h ^= h >>> 29;
            }
            sum += h;
        }
        return sum;
    }

    private static Store open(String location) {
        return PocaDuck.openExisting(Cli.config(location));
    }
}
