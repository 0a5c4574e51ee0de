package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.budget.MemoryBudget;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;

/** The points and block ids a scan stores, checked voxel by voxel against the volume. */
class TestScanPoints {

    @TempDir
    Path tempDir;

    @Test
    void smallBlocksAndThinSlabsStoreEveryVoxelUnderItsBlock() {
        Path volume = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");
        RawLabelVolume whole = RawLabelVolume.read(volume);
        Map<Long, PointCloud> expected = whole.pointsByLabel();
        String location = Cli.freshStore(tempDir, "bodies-small-blocks");
        // 16^3 blocks, 3 threads, and a budget whose usable part (7 MB) leaves the slabs 3 slices of
        // 250 x 250: every block is written in 6 parts that append, and each ingestor gets just
        // over 1 MiB, so it writes a file every half MiB.
        long scratch = 3L * 16 * 16 * 16 * (4 + 24);
        long budget = MemoryBudget.budgetFor(7_000_000);
        assertThat((MemoryBudget.usableBytes(budget) / 2 - scratch) / (2L * 8 * 250 * 250)).isEqualTo(3);
        Cli.Run run = Cli.ok("scan", volume.toString(), "--location", location, "--block-size", "16", "--workers",
                "3", "--max-memory", Long.toString(budget), "--json");
        assertThat(run.out()).contains("\"slab_depth\" : 3");
        try (Store store = PocaDuck.openExisting(Cli.config(location));
                Query query = store.query()) {
            expected.remove(0L);
            assertThat(query.labels()).containsExactlyInAnyOrder(expected.keySet().stream().mapToLong(l -> l).toArray());
            for (Map.Entry<Long, PointCloud> entry : expected.entrySet()) {
                long label = entry.getKey();
                PointCloud points = query.points(label);
                assertThat(points.sorted()).as("points of %s", Labels.format(label)).isEqualTo(entry.getValue().sorted());
                TreeSet<String> blocks = new TreeSet<>();
                for (int p = 0; p < points.size(); p++) {
                    blocks.add(points.get(p, 0) / 16 + "_" + points.get(p, 1) / 16 + "_" + points.get(p, 2) / 16);
                }
                assertThat(new TreeSet<>(query.blocks(label))).isEqualTo(blocks);
            }
        }
    }

    @Test
    void supervoxelAttributeGivesFourDimensionsThatMapToTheBody() throws IOException {
        Path bodies = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");
        Path supervoxels = SharedData.resolve("neuroproof_ts2/gt_supervoxels.u64.raw.gz");
        Map<Long, Long> bodyOf = new HashMap<>();
        List<String> lines = Files.readAllLines(SharedData.resolve("neuroproof_ts2/gt_supervoxel_to_body.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            bodyOf.put(Labels.parse(cells[0]), Labels.parse(cells[1]));
        }
        String location = Cli.freshStore(tempDir, "gt-bodies-with-supervoxels");
        Cli.Run run = Cli.ok("scan", bodies.toString(), "--location", location, "--attribute",
                "supervoxel_id=" + supervoxels, "--workers", "2", "--json");
        assertThat(run.out()).contains("\"dimensions\" : \"x,y,z,supervoxel_id\"")
                .contains("\"points\" : " + (15_625_000 - 250));
        try (Store store = PocaDuck.openExisting(Cli.config(location));
                Query query = store.query()) {
            assertThat(query.schema().orElseThrow().names()).containsExactly("x", "y", "z", "supervoxel_id");
            long checked = 0;
            for (long label : query.labels()) {
                PointCloud points = query.points(label);
                assertThat(points.dimensions()).isEqualTo(4);
                for (int p = 0; p < points.size(); p++) {
                    long supervoxel = points.get(p, 3);
                    if (bodyOf.get(supervoxel) != label) {
                        throw new AssertionError("point " + p + " of body " + Labels.format(label)
                                + " has supervoxel " + Labels.format(supervoxel) + " of body " + bodyOf.get(supervoxel));
                    }
                }
                checked += points.size();
            }
            assertThat(checked).isEqualTo(15_625_000 - 250);
        }
    }
}
