package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Labels;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.Volumes;

/** {@code pocaduck selftest}: its made-up volume, its checks, and its failure report. */
class TestSelftest {
    @TempDir
    Path tempDir;

    /**
     * The volume's figures worked out by hand: cells of 25 voxels, bodies of 21 at offset 2, the
     * last cell of each axis cut to 8 voxels (210 = 8 * 25 + 10, 160 = 6 * 25 + 10,
     * 110 = 4 * 25 + 10): 176 * 134 * 92 points in 9 * 7 * 5 labels.
     */
    @Test
    void syntheticVolumeHasTheFiguresWorkedOutByHand() throws Exception {
        SyntheticVolume volume = new SyntheticVolume(SelftestCommand.SIZE_X, SelftestCommand.SIZE_Y,
                SelftestCommand.SIZE_Z);
        assertThat(volume.bodies()).hasSize(9 * 7 * 5);
        assertThat(volume.points()).isEqualTo(176L * 134 * 92);
        long[] labels = volume.sortedLabels();
        assertThat(Labels.isStrictlyAscending(labels)).isTrue();
        assertThat(labels[0]).isNotZero();
        assertThat(labels[labels.length - 1]).as("labels reach 2^63 and above").isNegative();
        // The file holds what the bodies say: voxel counts per label as read back by the raw reader.
        Path file = volume.write(tempDir, "v");
        try (VolumeSource source = Volumes.open(file, Optional.empty(), Map.of())) {
            assertThat(source.shape()).isEqualTo(new VolumeShape(110, 160, 210));
            long[] voxels = new long[110 * 160 * 210];
            source.read(new Box(0, 0, 0, 110, 160, 210), voxels);
            long labelled = Arrays.stream(voxels).filter(v -> v != 0).count();
            assertThat(labelled).isEqualTo(volume.points());
            SyntheticVolume.Body last = volume.bodies().getLast();
            assertThat(voxels[(last.z0() * 160 + last.y0()) * 210 + last.x0()]).isEqualTo(last.label());
            assertThat(voxels[((last.z0() - 1) * 160 + last.y0()) * 210 + last.x0()]).isZero();
        }
    }

    @Test
    void passesOnTheDefaultBackendAndKeepsWhatItWroteWhenAsked() {
        Path kept = tempDir.resolve("kept");
        Cli.Run run = Cli.ok("selftest", "--keep", kept.toString());
        assertThat(run.out()).startsWith("selftest passed: parquet-duckdb store, 315 labels, 2,169,728 points, "
                + "648 label-block pairs");
        assertThat(kept.resolve("selftest.u64.raw.gz")).isRegularFile();
        assertThat(kept.resolve("selftest.json")).isRegularFile();
        assertThat(Cli.ok("count", "11400714819323198485", "--location", kept.resolve("store").toString()).out()
                .strip()).as("the first label, 0x9E3779B97F4A7C15, in the kept store").isEqualTo("9261");
    }

    @Test
    void passesOnTheMemoryBackendAndCleansUp() throws Exception {
        long before;
        try (Stream<Path> list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = list.filter(p -> p.getFileName().toString().startsWith("pocaduck-selftest-")).count();
        }
        assertThat(Cli.ok("selftest", "--storage-type", "memory", "--quiet").out()).isEmpty();
        try (Stream<Path> list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(list.filter(p -> p.getFileName().toString().startsWith("pocaduck-selftest-")).count())
                    .isEqualTo(before);
        }
    }

    @Test
    void failureNamesTheCommandThatFailed() {
        Cli.Run run = Cli.run("selftest", "--storage-type", "no-such-backend");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Cannot pass selftest: 'pocaduck scan ").contains("no-such-backend");
    }
}
