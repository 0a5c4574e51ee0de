package org.pocaduck.volume.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.Volumes;

class TestRawVolumeFormat {
    private static final Path FIB19 = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");
    private static final Path GT_BODIES = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");

    @TempDir
    Path dir;

    @Test
    void detectsAndReadsTheSharedDataWhole() {
        RawLabelVolume expected = RawLabelVolume.read(FIB19);
        try (VolumeSource volume = Volumes.open(FIB19, Optional.empty(), Map.of())) {
            assertThat(volume.format()).isEqualTo("raw");
            assertThat(volume.dtype()).isEqualTo("uint64");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(64, 64, 64));
            long[] labels = new long[64 * 64 * 64];
            volume.read(volume.shape().all(), labels);
            assertThat(labels).isEqualTo(expected.labels());
            assertThat(Arrays.stream(labels).max().getAsLong()).isGreaterThan(1L << 35);
        }
    }

    @Test
    void readsSlabsInIncreasingZAndSubBoxesLikeTheWholeVolume() {
        RawLabelVolume whole = RawLabelVolume.read(GT_BODIES);
        try (VolumeSource volume = Volumes.open(GT_BODIES, Optional.of("raw"), Map.of())) {
            long[] slab = new long[64 * 250 * 250];
            for (int z0 = 0; z0 < 250; z0 += 64) {
                int depth = Math.min(64, 250 - z0);
                volume.read(new Box(z0, 0, 0, depth, 250, 250), slab);
                int from = z0 * 250 * 250;
                assertThat(Arrays.equals(slab, 0, depth * 250 * 250, whole.labels(), from, from + depth * 250 * 250))
                        .as("slab at z %d", z0).isTrue();
            }
            // A box before the current position restarts the stream; a sub-box picks rows.
            Box box = new Box(3, 100, 17, 5, 7, 11);
            long[] part = new long[(int) box.voxels()];
            volume.read(box, part);
            int i = 0;
            for (int z = 3; z < 8; z++) {
                for (int y = 100; y < 107; y++) {
                    for (int x = 17; x < 28; x++) {
                        assertThat(part[i++]).isEqualTo(whole.labels()[(z * 250 + y) * 250 + x]);
                    }
                }
            }
        }
    }

    @Test
    void readsPlainRawWithASidecar() throws IOException {
        long[] labels = {0, 1, 2, -1L, 1L << 40, 5, 6, 7};
        Path data = dir.resolve("tiny.raw");
        Files.write(data, bytes(labels));
        sidecar(dir.resolve("tiny.json"), "[2, 2, 2]", "uint64");
        try (VolumeSource volume = Volumes.open(data, Optional.empty(), Map.of())) {
            long[] read = new long[8];
            volume.read(volume.shape().all(), read);
            assertThat(read).containsExactly(labels);
        }
    }

    @Test
    void missingSidecarIsNamed() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        assertThatThrownBy(() -> Volumes.open(data, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(data.toString())
                .hasMessageContaining("missing JSON sidecar " + dir.resolve("block.json"));
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        sidecar(dir.resolve("block.json"), "[64, 64, 64]", "float32");
        assertThatThrownBy(() -> Volumes.open(data, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(data.toString())
                .hasMessageContaining("unsupported dtype 'float32'");
    }

    @Test
    void shapeSmallerThanTheDataIsAMismatch() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        sidecar(dir.resolve("block.json"), "[32, 64, 64]", "uint64");
        try (VolumeSource volume = Volumes.open(data, Optional.empty(), Map.of())) {
            assertThatThrownBy(() -> volume.read(volume.shape().all(), new long[32 * 64 * 64]))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageContaining(data.toString())
                    .hasMessageContaining("shape mismatch");
        }
    }

    @Test
    void shapeLargerThanTheDataIsTruncated() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        sidecar(dir.resolve("block.json"), "[65, 64, 64]", "uint64");
        try (VolumeSource volume = Volumes.open(data, Optional.empty(), Map.of())) {
            assertThatThrownBy(() -> volume.read(volume.shape().all(), new long[65 * 64 * 64]))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageContaining(data.toString())
                    .hasMessageContaining("truncated: the data ends after 262144 of the 266240");
        }
    }

    @Test
    void plainRawOfTheWrongSizeIsAMismatchAtOpen() throws IOException {
        Path data = dir.resolve("tiny.raw");
        Files.write(data, bytes(new long[7]));
        sidecar(dir.resolve("tiny.json"), "[2, 2, 2]", "uint64");
        assertThatThrownBy(() -> Volumes.open(data, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(data.toString())
                .hasMessageContaining("size mismatch: the file has 56 bytes but shape (z, y, x) = (2, 2, 2)");
    }

    @Test
    void truncatedGzipIsNamed() throws IOException {
        byte[] whole = Files.readAllBytes(FIB19);
        Path data = dir.resolve("cut.dat.gz");
        Files.write(data, Arrays.copyOf(whole, whole.length / 2));
        Files.copy(FIB19.resolveSibling("fib19-64x64x64-sample1.json"), dir.resolve("cut.json"));
        try (VolumeSource volume = Volumes.open(data, Optional.empty(), Map.of())) {
            assertThatThrownBy(() -> volume.read(volume.shape().all(), new long[64 * 64 * 64]))
                    .isInstanceOf(VolumeException.class)
                    .hasMessageStartingWith("Cannot read raw volume " + data + ": truncated");
        }
    }

    @Test
    void boxOutsideTheVolumeIsRejected() {
        try (VolumeSource volume = Volumes.open(FIB19, Optional.empty(), Map.of())) {
            assertThatThrownBy(() -> volume.read(new Box(60, 0, 0, 8, 1, 1), new long[8]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the volume's shape");
        }
    }

    @Test
    void unknownOptionsAreRejected() {
        assertThatThrownBy(() -> Volumes.open(FIB19, Optional.of("raw"), Map.of("dataset", "/stack")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("unknown options [dataset]");
    }

    private static void sidecar(Path file, String shape, String dtype) throws IOException {
        Files.writeString(file, "{\"shape_zyx\": " + shape + ", \"dtype\": \"" + dtype + "\", \"byte_order\": \"little\"}");
    }

    private static byte[] bytes(long[] labels) {
        ByteBuffer buffer = ByteBuffer.allocate(labels.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(labels);
        return buffer.array();
    }
}
