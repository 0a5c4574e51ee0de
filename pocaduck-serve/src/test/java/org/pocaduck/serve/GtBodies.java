package org.pocaduck.serve;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pocaduck.PocaDuck;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.scan.Scanner;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * The real data the server tests read: gt_bodies (250^3 voxels, 526 labels) scanned, read in
 * place from {@code shared/data}, with the gt_supervoxels volume as attribute
 * {@code supervoxel_id}, into a parquet-duckdb store under a test's temporary directory.
 */
final class GtBodies {
    static final Path BODIES = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");
    static final Path SUPERVOXELS = SharedData.resolve("neuroproof_ts2/gt_supervoxels.u64.raw.gz");
    static final LabelStats STATS = LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));
    /** The largest body: 3,702,057 points. */
    static final long LARGEST = 114488L;

    private GtBodies() {
    }

    /** @return the settings of a new store holding gt_bodies with supervoxel ids, scanned and consolidated */
    static StorageConfig scan(Path directory) {
        List<Scanner.Attribute> attributes = List.of(new Scanner.Attribute("supervoxel_id", SUPERVOXELS));
        StorageConfig config = Scanner.withScanSchema(StorageConfig.builder("parquet-duckdb")
                .location(directory.toString()).build(), attributes);
        try (Store store = PocaDuck.open(config); Scanner scanner = new Scanner(new Scanner.Settings(new Scanner.Spec(BODIES,
                Optional.empty(), Map.of(), attributes, 64, 64, 64, false, 512L << 20), 2, 0, 1, "scan"))) {
            scanner.run(store, n -> { });
            store.consolidate();
        }
        return config;
    }
}
