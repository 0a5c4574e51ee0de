package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.LabelSummaries;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.budget.MemoryBudget;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.SharedData;

/**
 * {@code --max-memory} as the budget of the whole process, each scan in a child JVM sized the way
 * {@code scripts/pocaduck} sizes it ({@code -Xmx} = {@link MemoryBudget#heapBytes}), on the real
 * {@code gt_supervoxels} volume (250^3, 21,316 labels).
 */
class TestMemoryBudget {
    private static final Path VOLUME = SharedData.resolve("neuroproof_ts2/gt_supervoxels.u64.raw.gz");
    private static final LabelStats EXPECTED = LabelStats.read(
            SharedData.resolve("neuroproof_ts2/gt_supervoxels.label_stats.csv"));

    @TempDir
    Path dir;

    private record Child(int exitCode, String out, String err) {
    }

    /** Runs {@code pocaduck ARGS} in a child JVM with this heap limit. */
    private Child child(String xmx, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
        // The test class path holds two SLF4J providers (Trino's tests bring one); their notice is not ours.
        String errors = Files.readString(err).lines().filter(line -> !line.startsWith("SLF4J("))
                .collect(Collectors.joining("\n"));
        return new Child(process.exitValue(), Files.readString(out), errors);
    }

    private static void assertComplete(String location) {
        try (Store store = PocaDuck.openExisting(Cli.config(location)); Query query = store.query();
                LabelSummaries summaries = query.labelSummaries()) {
            assertThat(EXPECTED.differences(summaries, false)).isEmpty();
        }
    }

    @Test
    void aScanWithin256MiBInAJvmSizedByTheLauncherRuleIsComplete() throws Exception {
        String location = Cli.freshStore(dir, "within-256MiB");
        long heap = MemoryBudget.heapBytes(256L << 20);
        Child run = child((heap >> 20) + "m", "scan", VOLUME.toString(), "--location", location,
                "--max-memory", "256MiB", "--workers", "2", "--json");
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("\"max_memory_bytes\" : " + (256L << 20))
                .contains("\"heap_max_bytes\" : ");
        assertComplete(location);
    }

    @Test
    void aBudgetTooSmallFailsBeforeReadingNamingTheFigureNeeded() {
        String location = Cli.freshStore(dir, "too-small");
        Cli.Run run = Cli.run("scan", VOLUME.toString(), "--location", location, "--max-memory", "40MiB",
                "--workers", "2");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("pocaduck: Cannot scan " + VOLUME + " within --max-memory 40MiB: it "
                + "needs at least 95MiB (two slab buffers of one slice of 250 x 250 voxels for 1 volume(s), 2 "
                + "worker(s)' block scratch and 1MiB of ingest buffer each, in the heap's usable part); raise "
                + "--max-memory or use smaller blocks or fewer workers");
        assertThat(Files.exists(Path.of(location))).as("nothing written").isFalse();
        // The figure named is enough.
        Cli.ok("scan", VOLUME.toString(), "--location", location, "--max-memory", "95MiB", "--workers", "2",
                "--quiet");
        assertComplete(location);
    }

    @Test
    void runningOutOfMemoryPrintsOneLineAndARerunCompletesTheStore() throws Exception {
        String location = Cli.freshStore(dir, "out-of-memory");
        // The budget says 1GiB but the heap is made far smaller on purpose.
        Child starved = child("40m", "scan", VOLUME.toString(), "--location", location, "--max-memory", "1GiB",
                "--workers", "2", "--quiet");
        assertThat(starved.exitCode()).isEqualTo(1);
        assertThat(starved.err().strip()).doesNotContain("\tat ").doesNotContain("\n")
                .startsWith("pocaduck: Cannot finish: the JVM ran out of memory (Java heap space) within "
                        + "--max-memory 1GiB (heap ")
                .endsWith("what was committed before stays, and a rerun with a larger --max-memory "
                        + "(scripts/pocaduck sizes the heap from it) or fewer --workers completes it");

        Child rerun = child((MemoryBudget.heapBytes(512L << 20) >> 20) + "m", "scan", VOLUME.toString(),
                "--location", location, "--max-memory", "512MiB", "--workers", "2", "--quiet");
        assertThat(rerun.exitCode()).as("stderr: %s", rerun.err()).isZero();
        assertComplete(location);
    }
}
