package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Capability;
import org.pocaduck.LabelSummaries;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
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
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Process> workers = new ArrayList<>();
        for (int worker = 0; worker < 3; worker++) {
            List<String> command = List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "scan", VOLUME.toString(), "--location", location, "--keep-background",
                    "--worker-index", Integer.toString(worker), "--worker-count", "3", "--quiet");
            workers.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logs.resolve("worker-" + worker + ".log").toFile()).start());
        }
        for (int worker = 0; worker < workers.size(); worker++) {
            Process process = workers.get(worker);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("worker %d finished", worker).isTrue();
            assertThat(process.exitValue()).as("worker %d: %s", worker,
                    Files.readString(logs.resolve("worker-" + worker + ".log"))).isZero();
        }
        Cli.ok("consolidate", "--location", location);

        LabelStats expected = LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));
        try (Store store = PocaDuck.openExisting(Cli.config(location)); Query query = store.query()) {
            assertThat(store.supports(Capability.MULTI_PROCESS)).isTrue();
            StoreStats stats = query.stats();
            assertThat(stats.points()).isEqualTo(expected.totalVoxels());
            assertThat(stats.labelBlockPairs()).isEqualTo(expected.totalLabelBlocks());
            try (LabelSummaries summaries = query.labelSummaries()) {
                assertThat(expected.differences(summaries, true)).isEmpty();
            }
        }
    }
}
