package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Capability;
import org.pocaduck.PocaDuck;
import org.pocaduck.Store;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * Cluster mode as a job array runs it: three separate worker processes scanning their shares of
 * one store at the same time, then {@code pocaduck consolidate}, give every label exactly the
 * counts of a full scan (the default backend declares {@link Capability#MULTI_PROCESS}).
 */
class TestClusterModeProcesses {
    private static final Path VOLUME = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");

    @TempDir
    Path logs;

    @Test
    void threeWorkerProcessesAtOncePlusConsolidate() throws IOException, InterruptedException {
        String location = Cli.freshStore(logs, "bodies-job-array");
        Cli.scanInWorkerProcesses(logs, 3, List.of(VOLUME.toString(), "--location", location, "--keep-background",
                "--quiet"));
        Cli.ok("consolidate", "--location", location);

        try (Store store = PocaDuck.openExisting(Cli.config(location))) {
            assertThat(store.supports(Capability.MULTI_PROCESS)).isTrue();
        }
        ScanChecks.assertStoreMatches(Cli.config(location),
                LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv")));
    }
}
