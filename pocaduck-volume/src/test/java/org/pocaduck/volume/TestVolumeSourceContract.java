package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pocaduck.testkit.SharedData;

/** The VolumeSource rules every reader keeps: argument checks, idempotent close, no use after close. */
class TestVolumeSourceContract {
    @TempDir
    static Path dir;

    static Stream<String> volumes() {
        return Stream.of("neuroproof_ts2/original/groundtruth.h5.gz", "formats/gt_bodies.ome.zarr",
                "formats/gt_supervoxels.zarr", "formats/overseg_supervoxels.tif", "formats/overseg_supervoxels_png");
    }

    private static Path resolve(String relative) {
        if (relative.endsWith(".h5.gz")) {
            Path h5 = dir.resolve("groundtruth.h5");
            return h5.toFile().exists() ? h5 : Expected.gunzip(relative, dir);
        }
        return SharedData.resolve(relative);
    }

    @ParameterizedTest
    @MethodSource("volumes")
    void readerKeepsTheVolumeSourceRules(String relative) {
        Path path = resolve(relative);
        VolumeSource volume = Volumes.open(path, Optional.empty(), Map.of());
        assertThat(volume.path()).isEqualTo(path);
        assertThat(volume.shape()).isEqualTo(new VolumeShape(250, 250, 250));
        assertThatThrownBy(() -> volume.read(new Box(200, 0, 0, 51, 1, 1), new long[51]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside its shape");
        assertThatThrownBy(() -> volume.read(new Box(0, 0, 0, 2, 2, 2), new long[7]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target holds 7 labels, the box has 8");
        long[] corner = new long[8];
        volume.read(new Box(248, 248, 248, 2, 2, 2), corner);
        long[] expected = Expected.raw(relative.contains("bodies") ? "gt_bodies"
                : relative.contains("overseg") ? "overseg_supervoxels" : "gt_supervoxels").labels();
        assertThat(corner[7]).isEqualTo(expected[expected.length - 1]);
        volume.close();
        volume.close();
        assertThatThrownBy(() -> volume.read(new Box(0, 0, 0, 1, 1, 1), new long[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
