package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.volume.hdf5.Hdf5Format;
import org.pocaduck.volume.image.ImageStackFormat;
import org.pocaduck.volume.image.TiffFormat;
import org.pocaduck.volume.zarr.ZarrFormat;

/** Every reader is found through ServiceLoader and each shared copy is detected as its format. */
class TestFormatDetection {
    @TempDir
    Path dir;

    @Test
    void readersAreRegisteredByName() {
        assertThat(Volumes.formats()).containsKeys("hdf5", "zarr", "tiff", "image-stack");
        assertThat(Volumes.formats().get("hdf5")).isInstanceOf(Hdf5Format.class);
        assertThat(Volumes.formats().get("zarr")).isInstanceOf(ZarrFormat.class);
        assertThat(Volumes.formats().get("tiff")).isInstanceOf(TiffFormat.class);
        assertThat(Volumes.formats().get("image-stack")).isInstanceOf(ImageStackFormat.class);
    }

    @Test
    void sharedCopiesAreDetected() {
        Map<String, String> expected = Map.of(
                "formats/gt_bodies.ome.zarr", "zarr",
                "formats/gt_bodies.ome.zarr/1", "zarr",
                "formats/gt_supervoxels.zarr", "zarr",
                "formats/overseg_supervoxels.tif", "tiff",
                "formats/overseg_supervoxels_png", "image-stack");
        expected.forEach((relative, format) -> {
            try (VolumeSource volume = Volumes.open(SharedData.resolve(relative), Optional.empty(), Map.of())) {
                assertThat(volume.format()).as(relative).isEqualTo(format);
            }
        });
    }

    @Test
    void hdf5AndTiffAreDetectedByTheirSignatureWithoutExtension() throws IOException {
        Path h5 = Expected.gunzip("neuroproof_ts2/original/groundtruth.h5.gz", dir);
        Path noExtension = Files.move(h5, dir.resolve("labels"));
        try (VolumeSource volume = Volumes.open(noExtension, Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("hdf5");
        }
        Path tiff = Files.copy(TestImageVolumes.tiff(), dir.resolve("pages"));
        try (VolumeSource volume = Volumes.open(tiff, Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("tiff");
        }
        assertThat(new Hdf5Format().recognizes(tiff)).isFalse();
        assertThat(new TiffFormat().recognizes(noExtension)).isFalse();
        assertThat(new ImageStackFormat().recognizes(TestZarrVolume.omeZarr())).isFalse();
        assertThat(new ZarrFormat().recognizes(TestImageVolumes.pngs())).isFalse();
    }
}
