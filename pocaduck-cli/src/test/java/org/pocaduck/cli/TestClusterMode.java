package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
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
    private static final Path VOLUME = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");

    @TempDir
    Path tempDir;

    @Test
    void threeWorkersPlusConsolidateEqualOneScan() {
        String single = Cli.freshStore(tempDir, "fib19-single");
        Cli.ok("scan", VOLUME.toString(), "--location", single, "--block-size", "10", "--quiet");

        String cluster = Cli.freshStore(tempDir, "fib19-cluster");
        List<String> summaries = new ArrayList<>();
        for (int worker = 0; worker < 3; worker++) {
            summaries.add(Cli.ok("scan", VOLUME.toString(), "--location", cluster, "--block-size", "10",
                    "--worker-index", Integer.toString(worker), "--worker-count", "3").out());
        }
        // Worker 1 "crashed" and is rerun: its new output replaces the old one.
        Cli.ok("scan", VOLUME.toString(), "--location", cluster, "--block-size", "10", "--worker-index", "1",
                "--worker-count", "3", "--workers", "2", "--quiet");
        assertThat(summaries.getFirst()).contains("as worker 0 of 3").contains("not consolidated");
        try (Store store = open(cluster); Query query = store.query()) {
            assertThat(query.labels()).as("nothing visible before consolidation").isEmpty();
        }
        // 7 x 7 x 7 = 343 blocks of 10^3, the last of each row cut to 4 voxels (49 per z row): shares
        // of 114, 114 and 115 blocks end mid-row.
        assertThat(summaries).allMatch(s -> s.contains("in 10x10x10 blocks with 1 worker thread(s)"));

        Cli.Run consolidate = Cli.ok("consolidate", "--location", cluster);
        assertThat(consolidate.out()).startsWith("Consolidated parquet-duckdb " + cluster + ": 18 labels, 262,144 points");

        try (Store one = open(single); Query expected = one.query(); Store many = open(cluster);
                Query actual = many.query()) {
            assertThat(actual.stats().points()).isEqualTo(expected.stats().points()).isEqualTo(64 * 64 * 64);
            assertThat(actual.stats().labelBlockPairs()).isEqualTo(expected.stats().labelBlockPairs());
            // Both label indexes side by side, then every label's blocks and points in one read each.
            try (LabelSummaries want = expected.labelSummaries(); LabelSummaries got = actual.labelSummaries()) {
                int labels = 0;
                while (want.hasNext()) {
                    assertThat(got.hasNext()).isTrue();
                    LabelSummary summary = want.next();
                    assertThat(got.next()).isEqualTo(summary);
                    long label = summary.label();
                    assertThat(byBlock(actual, label)).as("blocks and points of %s", Labels.format(label))
                            .isEqualTo(byBlock(expected, label));
                    labels++;
                }
                assertThat(got.hasNext()).isFalse();
                assertThat(labels).isEqualTo(18);
            }
        }
    }

    /** Per block id (sorted), the point count and an order-independent hash of its points. */
    private static Map<String, List<Long>> byBlock(Query query, long label) {
        Map<String, List<Long>> blocks = new TreeMap<>();
        try (BlockChunks chunks = query.streamBlocks(label, 1 << 16)) {
            while (chunks.hasNext()) {
                BlockPoints chunk = chunks.next();
                List<Long> sums = blocks.computeIfAbsent(chunk.blockId(), b -> new ArrayList<>(List.of(0L, 0L)));
                sums.set(0, sums.get(0) + chunk.points().size());
                sums.set(1, sums.get(1) + pointHash(chunk.points()));
            }
        }
        return blocks;
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
