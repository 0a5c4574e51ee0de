package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pocaduck.LabelSummaries;
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
     * Scans {@code volume} (label 0 kept, 64^3 blocks, 2 workers) into a new local store and
     * asserts that every label has exactly the voxel_count and blocks64 of {@code expected}.
     *
     * @param directory where to put the store (a JUnit {@code @TempDir})
     * @param extraArgs more scan arguments, such as {@code --volume-option scale=1}
     * @return the store's location
     */
    static String assertScanMatches(Path directory, Path volume, LabelStats expected, String... extraArgs) {
        String location = Cli.freshStore(directory, volume.getFileName().toString());
        assertScanMatches(Cli.config(location), List.of("--location", location), volume, expected, extraArgs);
        return location;
    }

    /**
     * Scans {@code volume} (label 0 kept, 64^3 blocks, 2 workers) into the store that
     * {@code storeArgs} name on the command line and {@code config} names in the API, and asserts
     * that every label has exactly the voxel_count and blocks64 of {@code expected}.
     *
     * @param storeArgs the scan's storage arguments, such as {@code --location L --option k=v}
     * @param extraArgs more scan arguments
     * @return the scan's run, to check what it printed
     */
    static Cli.Run assertScanMatches(StorageConfig config, List<String> storeArgs, Path volume, LabelStats expected,
            String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("scan", volume.toString()));
        args.addAll(storeArgs);
        args.addAll(List.of("--keep-background", "--workers", "2", "--json"));
        args.addAll(List.of(extraArgs));
        Cli.Run run = Cli.ok(args.toArray(String[]::new));
        assertThat(run.out()).contains("\"labels\" : " + expected.byLabel().size())
                .contains("\"points\" : " + expected.totalVoxels())
                .contains("\"label_block_pairs\" : " + expected.totalLabelBlocks());
        assertStoreMatches(config, expected);
        return run;
    }

    /**
     * Asserts that a store written in 64^3 blocks with label 0 kept holds exactly the labels of
     * {@code expected}, each with its voxel_count and blocks64, and block ids {@code x_y_z}.
     */
    static void assertStoreMatches(StorageConfig config, LabelStats expected) {
        try (Store store = PocaDuck.openExisting(config);
                Query query = store.query()) {
            StoreStats stats = query.stats();
            assertThat(stats.labels()).isEqualTo(expected.byLabel().size());
            assertThat(stats.points()).isEqualTo(expected.totalVoxels());
            assertThat(stats.labelBlockPairs()).isEqualTo(expected.totalLabelBlocks());
            try (LabelSummaries summaries = query.labelSummaries()) {
                assertThat(expected.differences(summaries, true)).isEmpty();
            }
            // Block ids are grid coordinates x_y_z: checked on the largest labels.
            expected.byLabel().values().stream().sorted((a, b) -> Long.compare(b.blocks64(), a.blocks64())).limit(5)
                    .forEach(row -> assertThat(query.blocks(row.label())).as("blocks of label %s",
                            Labels.format(row.label())).hasSize((int) row.blocks64())
                            .allMatch(id -> id.matches("\\d+_\\d+_\\d+")));
        }
    }
}
