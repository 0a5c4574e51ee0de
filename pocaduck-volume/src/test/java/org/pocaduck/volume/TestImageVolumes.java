package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.SharedData;

/** The multi-page TIFF and PNG-stack readers on the shared copies of overseg_supervoxels. */
class TestImageVolumes {
    @TempDir
    Path dir;

    static Path tiff() {
        return SharedData.resolve("formats/overseg_supervoxels.tif");
    }

    static Path pngs() {
        return SharedData.resolve("formats/overseg_supervoxels_png");
    }

    @Test
    void multiPageTiffEqualsOversegSupervoxels() {
        try (VolumeSource volume = Volumes.open(tiff(), Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("tiff");
            assertThat(volume.dtype()).isEqualTo("uint16");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(250, 250, 250));
            long[] labels = Expected.readAll(volume, 64, 64, 64);
            Expected.assertSameLabels(labels, Expected.raw("overseg_supervoxels"), "overseg_supervoxels.tif");
            Expected.assertStats(labels, volume.shape(), Expected.stats("overseg_supervoxels"));
        }
    }

    @Test
    void pngStackEqualsOversegSupervoxels() {
        try (VolumeSource volume = Volumes.open(pngs(), Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("image-stack");
            assertThat(volume.dtype()).isEqualTo("uint16");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(250, 250, 250));
            Expected.assertSameLabels(Expected.readAll(volume, 16, 250, 250), Expected.raw("overseg_supervoxels"),
                    "overseg_supervoxels_png");
        }
    }

    @Test
    void eightBitPngStackInNaturalNameOrder() throws IOException {
        Path stack = Files.createDirectories(dir.resolve("stack"));
        for (int z = 0; z < 12; z++) {
            BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setSample(4, 2, 0, 200 + z);
            ImageIO.write(image, "png", stack.resolve("slice" + z + ".png").toFile());
        }
        try (VolumeSource volume = Volumes.open(stack, Optional.empty(), Map.of())) {
            assertThat(volume.dtype()).isEqualTo("uint8");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(12, 3, 5));
            long[] corner = new long[12];
            volume.read(new Box(0, 2, 4, 12, 1, 1), corner);
            assertThat(corner).containsExactly(200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211);
        }
    }

    @Test
    void sliceOfAnotherSizeOrRgbOrTruncatedIsNamed() throws IOException {
        Path stack = Files.createDirectories(dir.resolve("stack"));
        for (int z = 0; z < 3; z++) {
            String name = String.format("z%04d.png", z);
            Files.copy(pngs().resolve(name), stack.resolve(name));
        }
        Path small = stack.resolve("z0003.png");
        ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_USHORT_GRAY), "png", small.toFile());
        try (VolumeSource volume = Volumes.open(stack, Optional.empty(), Map.of())) {
            assertThat(volume.shape()).isEqualTo(new VolumeShape(4, 250, 250));
            volume.read(new Box(0, 0, 0, 3, 1, 1), new long[3]);
            assertThatThrownBy(() -> volume.read(new Box(3, 0, 0, 1, 1, 1), new long[1]))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageContaining(small.toString())
                    .hasMessageContaining("10 x 10 pixels, the stack's slices are 250 x 250");
        }

        ImageIO.write(new BufferedImage(250, 250, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        try (VolumeSource volume = Volumes.open(stack, Optional.empty(), Map.of())) {
            assertThatThrownBy(() -> volume.read(new Box(3, 0, 0, 1, 1, 1), new long[1]))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageContaining(small.toString())
                    .hasMessageContaining("3 bands");
        }

        byte[] png = Files.readAllBytes(stack.resolve("z0001.png"));
        Files.write(stack.resolve("z0001.png"), Arrays.copyOf(png, png.length / 2));
        try (VolumeSource volume = Volumes.open(stack, Optional.empty(), Map.of())) {
            assertThatThrownBy(() -> volume.read(new Box(1, 0, 0, 1, 250, 250), new long[250 * 250]))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageContaining(stack.resolve("z0001.png").toString());
        }
    }

    @Test
    void truncatedTiffIsNamed() throws IOException {
        Path truncated = dir.resolve("truncated.tif");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(tiff()), 700_000));
        assertThatThrownBy(() -> {
            try (VolumeSource volume = Volumes.open(truncated, Optional.empty(), Map.of())) {
                Expected.readAll(volume, 250, 250, 250);
            }
        }).isInstanceOf(VolumeException.class).hasMessageContaining(truncated.toString());
    }

    @Test
    void unknownOrUndetectableFormatIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("labels.txt"), "1 2 3");
        assertThatThrownBy(() -> Volumes.open(text, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("no format recognises it")
                .hasMessageContaining("hdf5").hasMessageContaining("image-stack").hasMessageContaining("tiff")
                .hasMessageContaining("zarr");
        assertThatThrownBy(() -> Volumes.open(text, Optional.of("n5"), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("format 'n5': unknown format");
        assertThatThrownBy(() -> Volumes.open(text, Optional.of("tiff"), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(text.toString());
        assertThatThrownBy(() -> Volumes.open(tiff(), Optional.empty(), Map.of("dataset", "/stack")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("unknown option(s) [dataset]");
    }
}
