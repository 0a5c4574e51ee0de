package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * Scanning every raw volume of the shared data (label 0 kept) gives, for every label, exactly
 * the voxel_count and blocks64 of its label_stats.csv.
 */
class TestScanLabelStats {
    @ParameterizedTest
    @ValueSource(strings = {
            "neuroproof_ts2/gt_bodies.u64.raw.gz",
            "neuroproof_ts2/gt_supervoxels.u64.raw.gz",
            "neuroproof_ts2/overseg_supervoxels.u64.raw.gz",
            "dvid_blocks/fib19-64x64x64-sample1.dat.gz",
            "dvid_blocks/fib19-64x64x64-sample2.dat.gz",
            "dvid_blocks/cx-64x64x64-sample1.dat.gz",
            "dvid_blocks/cx-64x64x64-sample2.dat.gz"})
    void everyLabelHasItsVoxelCountAndBlocks64(String relative) {
        Path volume = SharedData.resolve(relative);
        String base = volume.getFileName().toString().replaceFirst("(\\.u64\\.raw\\.gz|\\.dat\\.gz)$", "");
        LabelStats expected = LabelStats.read(volume.resolveSibling(base + ".label_stats.csv"));
        String location = Cli.freshStore(base);

        Cli.Run run = Cli.ok("scan", volume.toString(), "--location", location, "--keep-background", "--workers", "2",
                "--json");
        assertThat(run.out()).contains("\"labels\" : " + expected.byLabel().size())
                .contains("\"points\" : " + expected.totalVoxels())
                .contains("\"label_block_pairs\" : " + expected.totalLabelBlocks());

        try (Store store = PocaDuck.openExisting(StorageConfig.builder("memory").location(location).build());
                Query query = store.query()) {
            StoreStats stats = query.stats();
            assertThat(stats.labels()).isEqualTo(expected.byLabel().size());
            assertThat(stats.points()).isEqualTo(expected.totalVoxels());
            assertThat(stats.labelBlockPairs()).isEqualTo(expected.totalLabelBlocks());
            assertThat(query.labels()).containsExactly(expected.labels());
            for (Map.Entry<Long, LabelStats.Row> row : expected.byLabel().entrySet()) {
                long label = row.getKey();
                assertThat(query.pointCount(label)).as("points of label %s", Labels.format(label))
                        .isEqualTo(row.getValue().voxelCount());
                assertThat(query.blocks(label)).as("blocks of label %s", Labels.format(label))
                        .hasSize((int) row.getValue().blocks64())
                        .allMatch(id -> id.matches("\\d+_\\d+_\\d+"));
            }
            if (relative.contains("fib19")) {
                assertThat(Arrays.stream(query.labels()).filter(l -> Long.compareUnsigned(l, 1L << 32) >= 0).count())
                        .as("36-bit labels kept intact").isPositive();
            }
        }
    }
}
