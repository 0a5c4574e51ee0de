package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
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
    @TempDir
    Path tempDir;

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
        String location = ScanChecks.assertScanMatches(tempDir, volume, expected);
        if (relative.contains("fib19")) {
            try (Store store = PocaDuck.openExisting(Cli.config(location));
                    Query query = store.query()) {
                assertThat(Arrays.stream(query.labels()).filter(l -> Long.compareUnsigned(l, 1L << 32) >= 0).count())
                        .as("36-bit labels kept intact").isPositive();
            }
        }
    }
}
