package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;

/** The Zarr reader on the shared OME-Zarr (v2, Blosc lz4 + shuffle) and Zarr v3 (zstd) copies. */
class TestZarrVolume {
    static Path omeZarr() {
        return SharedData.resolve("formats/gt_bodies.ome.zarr");
    }

    static Path v3() {
        return SharedData.resolve("formats/gt_supervoxels.zarr");
    }

    @Test
    void omeZarrScale0EqualsGtBodies() {
        try (VolumeSource volume = Volumes.open(omeZarr(), Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("zarr");
            assertThat(volume.dtype()).isEqualTo("uint64");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(250, 250, 250));
            long[] labels = Expected.readAll(volume, 64, 64, 64);
            Expected.assertSameLabels(labels, Expected.raw("gt_bodies"), "gt_bodies.ome.zarr scale 0");
            Expected.assertStats(labels, volume.shape(), Expected.stats("gt_bodies"));
        }
    }

    @Test
    void omeZarrScales1And2AreEverySecondAndFourthVoxel() {
        RawLabelVolume full = Expected.raw("gt_bodies");
        for (int scale = 1; scale <= 2; scale++) {
            int step = 1 << scale;
            try (VolumeSource volume = Volumes.open(omeZarr(), Optional.of("zarr"), Map.of("scale", "" + scale))) {
                int n = (250 + step - 1) / step;
                assertThat(volume.shape()).isEqualTo(new VolumeShape(n, n, n));
                long[] labels = Expected.readAll(volume, 50, 50, 50);
                int i = 0;
                for (int z = 0; z < n; z++) {
                    for (int y = 0; y < n; y++) {
                        for (int x = 0; x < n; x++, i++) {
                            long expected = full.labels()[((z * step) * 250 + y * step) * 250 + x * step];
                            if (labels[i] != expected) {
                                throw new AssertionError("scale " + scale + " voxel (" + z + ", " + y + ", " + x
                                        + ") is " + labels[i] + ", expected " + expected);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void omeZarrArrayOpensDirectlyInUnalignedSlabs() {
        try (VolumeSource volume = Volumes.open(omeZarr().resolve("0"), Optional.empty(), Map.of())) {
            Expected.assertSameLabels(Expected.readAll(volume, 37, 250, 250), Expected.raw("gt_bodies"),
                    "gt_bodies.ome.zarr/0 in 37-slice slabs");
        }
    }

    @Test
    void zarrV3EqualsGtSupervoxels() {
        try (VolumeSource volume = Volumes.open(v3(), Optional.empty(), Map.of())) {
            assertThat(volume.dtype()).isEqualTo("uint64");
            Expected.assertSameLabels(Expected.readAll(volume, 64, 64, 64), Expected.raw("gt_supervoxels"),
                    "gt_supervoxels.zarr");
        }
    }
}
