package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.testkit.LabelStats;

/** Scans a volume with the real command line and checks the store against a label_stats.csv. */
final class ScanChecks {
    private ScanChecks() {
    }

    /**
     * Scans {@code volume} (label 0 kept, 64^3 blocks, 2 workers) and asserts that every label
     * has exactly the voxel_count and blocks64 of {@code expected}.
     *
     * @param extraArgs more scan arguments, such as {@code --volume-option scale=1}
     * @return the store's location
     */
    static String assertScanMatches(Path volume, LabelStats expected, String... extraArgs) {
        String location = Cli.freshStore(volume.getFileName().toString());
        List<String> args = new ArrayList<>(List.of("scan", volume.toString(), "--location", location,
                "--keep-background", "--workers", "2", "--json"));
        args.addAll(List.of(extraArgs));
        Cli.Run run = Cli.ok(args.toArray(String[]::new));
        assertThat(run.out()).contains("\"labels\" : " + expected.byLabel().size())
                .contains("\"points\" : " + expected.totalVoxels())
                .contains("\"label_block_pairs\" : " + expected.totalLabelBlocks());

        try (Store store = PocaDuck.openExisting(Cli.config(location));
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
        }
        return location;
    }
}
