package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HDF5 reader on the neuroproof originals, gunzipped. */
class TestHdf5Volume {
    @TempDir
    static Path dir;
    static Path groundtruth;
    static Path overseg;

    @BeforeAll
    static void gunzip() {
        groundtruth = Expected.gunzip("neuroproof_ts2/original/groundtruth.h5.gz", dir);
        overseg = Expected.gunzip("neuroproof_ts2/original/oversegmented_stack_labels.h5.gz", dir);
    }

    @Test
    void groundtruthStackEqualsGtSupervoxelsReadIn64CubedBoxes() {
        try (VolumeSource volume = Volumes.open(groundtruth, Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("hdf5");
            assertThat(volume.dtype()).isEqualTo("int32");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(250, 250, 250));
            long[] labels = Expected.readAll(volume, 64, 64, 64);
            Expected.assertSameLabels(labels, Expected.raw("gt_supervoxels"), "groundtruth.h5 /stack");
            Expected.assertStats(labels, volume.shape(), Expected.stats("gt_supervoxels"));
        }
    }

    @Test
    void oversegmentedStackEqualsOversegSupervoxelsReadInZSlabs() {
        try (VolumeSource volume = Volumes.open(overseg, Optional.of("hdf5"), Map.of("dataset", "/stack"))) {
            Expected.assertSameLabels(Expected.readAll(volume, 16, 250, 250), Expected.raw("overseg_supervoxels"),
                    "oversegmented_stack_labels.h5 /stack");
        }
    }

    @Test
    void unalignedSubVolumeMatches() {
        try (VolumeSource volume = Volumes.open(groundtruth, Optional.empty(), Map.of())) {
            Box box = new Box(17, 101, 3, 30, 7, 211);
            long[] labels = new long[(int) box.voxels()];
            volume.read(box, labels);
            var expected = Expected.raw("gt_supervoxels");
            int i = 0;
            for (long z = box.z0(); z < box.z0() + box.sizeZ(); z++) {
                for (long y = box.y0(); y < box.y0() + box.sizeY(); y++) {
                    for (long x = box.x0(); x < box.x0() + box.sizeX(); x++) {
                        assertThat(labels[i++]).isEqualTo(expected.labels()[(int) ((z * 250 + y) * 250 + x)]);
                    }
                }
            }
        }
    }

    @Test
    void missingOr2dDatasetIsNamed() {
        assertThatThrownBy(() -> Volumes.open(groundtruth, Optional.empty(), Map.of("dataset", "/nope")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(groundtruth.toString())
                .hasMessageContaining("no dataset /nope");
        assertThatThrownBy(() -> Volumes.open(groundtruth, Optional.empty(), Map.of("dataset", "/transforms")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("/transforms")
                .hasMessageContaining("2 dimensions");
        assertThatThrownBy(() -> Volumes.open(groundtruth, Optional.empty(), Map.of("scale", "1")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("unknown option(s) [scale]");
    }

    @Test
    void truncatedOrForeignFileIsNamed() throws IOException {
        Path truncated = dir.resolve("truncated.h5");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(groundtruth), 40_000_000));
        assertThatThrownBy(() -> {
            try (VolumeSource volume = Volumes.open(truncated, Optional.empty(), Map.of())) {
                Expected.readAll(volume, 64, 64, 64);
            }
        }).isInstanceOf(VolumeException.class).hasMessageContaining(truncated.toString());

        Path gzipped = org.pocaduck.testkit.SharedData.resolve("neuroproof_ts2/original/groundtruth.h5.gz");
        assertThatThrownBy(() -> Volumes.open(gzipped, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(gzipped.toString())
                .hasMessageContaining("gunzip it first");

        Path text = dir.resolve("text.h5");
        Files.writeString(text, "not an HDF5 file");
        assertThatThrownBy(() -> Volumes.open(text, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(text.toString());
    }
}
