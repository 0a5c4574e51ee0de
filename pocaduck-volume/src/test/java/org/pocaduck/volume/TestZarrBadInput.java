package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.RawLabelVolume;

/**
 * Corrupted copies of the shared Zarr fixtures (metadata plus a few chunks copied into a
 * temporary directory): clear errors naming the file, or the fill value where Zarr says so.
 */
class TestZarrBadInput {
    @TempDir
    Path dir;

    /** A v2 array of the first 64^3 chunks (z, y) = (0, 0), x = 0 and 1 of the OME-Zarr scale 0. */
    private Path v2Copy(String zarray) throws IOException {
        Path source = TestZarrVolume.omeZarr().resolve("0");
        Path array = Files.createDirectories(dir.resolve("v2.zarr"));
        Files.writeString(array.resolve(".zarray"), zarray == null ? Files.readString(source.resolve(".zarray")) : zarray);
        Files.createDirectories(array.resolve("0/0"));
        for (String chunk : new String[] {"0/0/0", "0/0/1"}) {
            Files.copy(source.resolve(chunk), array.resolve(chunk));
        }
        return array;
    }

    private Path v3Copy(String json) throws IOException {
        Path source = TestZarrVolume.v3();
        Path array = Files.createDirectories(dir.resolve("v3.zarr"));
        Files.writeString(array.resolve("zarr.json"), json == null ? Files.readString(source.resolve("zarr.json")) : json);
        Files.createDirectories(array.resolve("c/0/0"));
        Files.copy(source.resolve("c/0/0/0"), array.resolve("c/0/0/0"));
        return array;
    }

    private static long[] read(Path path, Box box) {
        try (VolumeSource volume = Volumes.open(path, Optional.empty(), Map.of())) {
            long[] labels = new long[(int) box.voxels()];
            volume.read(box, labels);
            return labels;
        }
    }

    private static String v2Metadata() throws IOException {
        return Files.readString(TestZarrVolume.omeZarr().resolve("0/.zarray"));
    }

    @Test
    void copiedChunksReadAsTheOriginalAndAMissingChunkReadsAsFillValue() throws IOException {
        Path array = v2Copy(null);
        RawLabelVolume bodies = Expected.raw("gt_bodies");
        long[] labels = read(array, new Box(0, 0, 0, 64, 64, 128));
        for (int z = 0; z < 64; z++) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 128; x++) {
                    assertThat(labels[(z * 64 + y) * 128 + x]).isEqualTo(bodies.labels()[(z * 250 + y) * 250 + x]);
                }
            }
        }
        assertThat(read(array, new Box(0, 64, 0, 10, 64, 64))).containsOnly(0L);

        Files.writeString(array.resolve(".zarray"), v2Metadata().replace("\"fill_value\": 0", "\"fill_value\": 7"));
        long[] mixed = read(array, new Box(60, 0, 0, 8, 1, 1));
        assertThat(Arrays.copyOfRange(mixed, 4, 8)).containsOnly(7L);
        assertThat(mixed[0]).isEqualTo(bodies.labels()[60 * 250 * 250]);
    }

    @Test
    void truncatedBloscChunkIsNamed() throws IOException {
        Path array = v2Copy(null);
        Path chunk = array.resolve("0/0/1");
        byte[] bytes = Files.readAllBytes(chunk);
        Files.write(chunk, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 64, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("Cannot read chunk " + chunk)
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedZstdChunkIsNamed() throws IOException {
        Path array = v3Copy(null);
        Path chunk = array.resolve("c/0/0/0");
        byte[] bytes = Files.readAllBytes(chunk);
        Files.write(chunk, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("Cannot read chunk " + chunk)
                .hasMessageContaining("zstd");
    }

    @Test
    void chunkOfWrongSizeIsNamed() throws IOException {
        Path array = v3Copy(null);
        Path chunk = array.resolve("c/0/0/0");
        Files.write(chunk, Zstd.compress(new byte[64 * 64 * 64 * 4]));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("Cannot read chunk " + chunk)
                .hasMessageContaining("1048576")
                .hasMessageContaining("2097152");
    }

    @Test
    void metadataThatDisagreesWithTheDataIsNamed() throws IOException {
        Path array = v2Copy(v2Metadata().replace("\"dtype\": \"<u8\"", "\"dtype\": \"<u4\""));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("Cannot read chunk " + array.resolve("0/0/0"))
                .hasMessageContaining("decodes to 2097152 bytes")
                .hasMessageContaining("needs 1048576");

        Path v3 = v3Copy(Files.readString(TestZarrVolume.v3().resolve("zarr.json"))
                .replaceFirst("64,\\s*64,\\s*64", "32, 32, 32"));
        assertThatThrownBy(() -> read(v3, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("Cannot read chunk " + v3.resolve("c/0/0/0"))
                .hasMessageContaining("2097152");
    }

    @Test
    void unknownCodecOrDtypeOrMissingMetadataIsNamed() throws IOException {
        Path array = v2Copy(v2Metadata().replace("\"id\": \"blosc\"", "\"id\": \"lzma2\""));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(array.resolve(".zarray").toString())
                .hasMessageContaining("unknown compressor id 'lzma2'");

        Path v3 = v3Copy(Files.readString(TestZarrVolume.v3().resolve("zarr.json")).replace("\"zstd\"", "\"brotli\""));
        assertThatThrownBy(() -> read(v3, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(v3.resolve("zarr.json").toString())
                .hasMessageContaining("unknown or unsupported codec 'brotli'");

        Files.writeString(array.resolve(".zarray"), v2Metadata().replace("\"<u8\"", "\"<f4\""));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("unsupported dtype '<f4'");

        Files.delete(array.resolve(".zarray"));
        assertThatThrownBy(() -> read(array, new Box(0, 0, 0, 1, 1, 1)))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(array.toString())
                .hasMessageContaining("missing metadata");
    }

    @Test
    void badScaleIsNamed() {
        assertThatThrownBy(() -> Volumes.open(TestZarrVolume.omeZarr(), Optional.empty(), Map.of("scale", "3")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("scale=3 does not exist")
                .hasMessageContaining("0 to 2");
        assertThatThrownBy(() -> Volumes.open(TestZarrVolume.v3(), Optional.empty(), Map.of("scale", "1")))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining("single array");
    }
}
