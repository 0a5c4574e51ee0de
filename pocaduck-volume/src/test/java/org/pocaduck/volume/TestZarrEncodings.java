package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.testkit.RawLabelVolume;

/**
 * Layouts the shared fixtures do not cover, written here by hand per the Zarr v2/v3
 * specifications with the JDK's zlib and gzip: big-endian and signed dtypes, "." and "/" chunk
 * keys, v3 "v2" chunk keys, crc32c, edge chunks padded with the fill value, leading dimensions of
 * size 1. The region is the corner (100, 90, 80) of gt_supervoxels in chunks of 40^3.
 */
class TestZarrEncodings {
    private static final int Z = 100;
    private static final int Y = 90;
    private static final int X = 80;
    private static final int C = 40;

    @TempDir
    Path dir;

    enum Layout {
        V2_BIG_ENDIAN_UINT64_DOT_ZLIB(2, ">u8", 8, ByteOrder.BIG_ENDIAN, "."),
        V2_LITTLE_ENDIAN_INT32_SLASH_GZIP(2, "<i4", 4, ByteOrder.LITTLE_ENDIAN, "/"),
        V3_BIG_ENDIAN_INT32_DOT_GZIP_CRC32C(3, "int32", 4, ByteOrder.BIG_ENDIAN, "."),
        V3_V2KEYS_UINT64_RAW(3, "uint64", 8, ByteOrder.LITTLE_ENDIAN, "/");

        final int zarrFormat;
        final String dtype;
        final int bytes;
        final ByteOrder order;
        final String separator;

        Layout(int zarrFormat, String dtype, int bytes, ByteOrder order, String separator) {
            this.zarrFormat = zarrFormat;
            this.dtype = dtype;
            this.bytes = bytes;
            this.order = order;
            this.separator = separator;
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void handWrittenArrayReadsBackTheRegion(Layout layout) throws IOException {
        RawLabelVolume source = Expected.raw("gt_supervoxels");
        Path array = write(layout, source, dir.resolve("a.zarr"), false);
        try (VolumeSource volume = Volumes.open(array, Optional.empty(), Map.of())) {
            assertThat(volume.shape()).isEqualTo(new VolumeShape(Z, Y, X));
            long[] labels = Expected.readAll(volume, 33, 33, 33);
            for (int z = 0; z < Z; z++) {
                for (int y = 0; y < Y; y++) {
                    for (int x = 0; x < X; x++) {
                        long expected = source.labels()[(z * 250 + y) * 250 + x];
                        if (labels[(z * Y + y) * X + x] != expected) {
                            throw new AssertionError(layout + " voxel (" + z + ", " + y + ", " + x + ") is "
                                    + labels[(z * Y + y) * X + x] + ", expected " + expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void leadingDimensionOfSizeOneIsSqueezed() throws IOException {
        RawLabelVolume source = Expected.raw("gt_supervoxels");
        Path array = write(Layout.V2_BIG_ENDIAN_UINT64_DOT_ZLIB, source, dir.resolve("c.zarr"), true);
        try (VolumeSource volume = Volumes.open(array, Optional.empty(), Map.of())) {
            assertThat(volume.shape()).isEqualTo(new VolumeShape(Z, Y, X));
            long[] one = new long[1];
            volume.read(new Box(99, 89, 79, 1, 1, 1), one);
            assertThat(one[0]).isEqualTo(source.labels()[(99 * 250 + 89) * 250 + 79]);
        }
    }

    @Test
    void negativeSignedLabelIsNamed() throws IOException {
        RawLabelVolume source = Expected.raw("gt_supervoxels");
        long[] negated = source.labels().clone();
        negated[(5 * 250 + 6) * 250 + 7] = -3;
        Path array = write(Layout.V2_LITTLE_ENDIAN_INT32_SLASH_GZIP,
                new RawLabelVolume(250, 250, 250, negated), dir.resolve("n.zarr"), false);
        assertThatThrownBy(() -> {
            try (VolumeSource volume = Volumes.open(array, Optional.empty(), Map.of())) {
                volume.read(new Box(0, 0, 0, 10, 10, 10), new long[1000]);
            }
        }).isInstanceOf(VolumeException.class)
                .hasMessageContaining(array.resolve("0/0/0").toString())
                .hasMessageContaining("(z, y, x) = (5, 6, 7) holds -3 (int32)");
    }

    @Test
    void omeZarrV3GroupOpensTheChosenScale() throws IOException {
        RawLabelVolume source = Expected.raw("gt_supervoxels");
        Path group = Files.createDirectories(dir.resolve("g.ome.zarr"));
        write(Layout.V3_V2KEYS_UINT64_RAW, source, group.resolve("s0"), false);
        write(Layout.V3_BIG_ENDIAN_INT32_DOT_GZIP_CRC32C, source, group.resolve("s1"), true);
        String axes = "[{\"name\": \"z\", \"type\": \"space\"}, {\"name\": \"y\", \"type\": \"space\"},"
                + " {\"name\": \"x\", \"type\": \"space\"}]";
        Files.writeString(group.resolve("zarr.json"), "{\"zarr_format\": 3, \"node_type\": \"group\", \"attributes\":"
                + " {\"ome\": {\"version\": \"0.5\", \"multiscales\": [{\"axes\": " + axes + ", \"datasets\":"
                + " [{\"path\": \"s0\"}, {\"path\": \"s1\"}]}]}}}");
        try (VolumeSource volume = Volumes.open(group, Optional.empty(), Map.of())) {
            assertThat(volume.dtype()).isEqualTo("uint64");
        }
        try (VolumeSource volume = Volumes.open(group, Optional.empty(), Map.of("scale", "1"))) {
            assertThat(volume.dtype()).isEqualTo("int32");
            assertThat(volume.shape()).isEqualTo(new VolumeShape(Z, Y, X));
        }
        Files.writeString(group.resolve("zarr.json"), Files.readString(group.resolve("zarr.json"))
                .replace("\"name\": \"z\"", "\"name\": \"c\""));
        assertThatThrownBy(() -> Volumes.open(group, Optional.empty(), Map.of()))
                .isInstanceOf(VolumeException.class)
                .hasMessageContaining(group.resolve("zarr.json").toString())
                .hasMessageContaining("axes end in c, y, x");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void handWrittenShardedArrayReadsBackTheRegionAndEmptyInnerChunksAsFill(boolean indexAtEnd) throws IOException {
        RawLabelVolume source = Expected.raw("gt_supervoxels");
        Path array = Files.createDirectories(dir.resolve("s.zarr"));
        int shard = 40;
        int inner = 20;
        String indexCodecs = indexAtEnd
                ? "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}, {\"name\": \"crc32c\"}]"
                : "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}]";
        Files.writeString(array.resolve("zarr.json"), "{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": ["
                + Z + ", " + Y + ", " + X + "], \"data_type\": \"uint64\", \"chunk_grid\": {\"name\": \"regular\","
                + " \"configuration\": {\"chunk_shape\": [" + shard + ", " + shard + ", " + shard + "]}},"
                + " \"chunk_key_encoding\": {\"name\": \"default\"}, \"fill_value\": 9, \"codecs\": [{\"name\":"
                + " \"sharding_indexed\", \"configuration\": {\"chunk_shape\": [" + inner + ", " + inner + ", " + inner
                + "], \"codecs\": [{\"name\": \"bytes\", \"configuration\": {\"endian\": \"big\"}}, {\"name\":"
                + " \"gzip\", \"configuration\": {\"level\": 1}}], \"index_codecs\": " + indexCodecs
                + ", \"index_location\": \"" + (indexAtEnd ? "end" : "start") + "\"}}]}");
        int per = shard / inner;
        int entries = per * per * per;
        int indexBytes = entries * 16 + (indexAtEnd ? 4 : 0);
        for (int sz = 0; sz * shard < Z; sz++) {
            for (int sy = 0; sy * shard < Y; sy++) {
                for (int sx = 0; sx * shard < X; sx++) {
                    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                    ByteBuffer index = ByteBuffer.allocate(entries * 16).order(ByteOrder.LITTLE_ENDIAN);
                    for (int lz = 0; lz < per; lz++) {
                        for (int ly = 0; ly < per; ly++) {
                            for (int lx = 0; lx < per; lx++) {
                                int z0 = sz * shard + lz * inner;
                                int y0 = sy * shard + ly * inner;
                                int x0 = sx * shard + lx * inner;
                                boolean empty = z0 >= Z || y0 >= Y || x0 >= X || (z0 == 20 && y0 == 40 && x0 == 60);
                                if (empty) {
                                    index.putLong(-1L).putLong(-1L);
                                    continue;
                                }
                                ByteBuffer chunk = ByteBuffer.allocate(inner * inner * inner * 8).order(ByteOrder.BIG_ENDIAN);
                                for (int z = z0; z < z0 + inner; z++) {
                                    for (int y = y0; y < y0 + inner; y++) {
                                        for (int x = x0; x < x0 + inner; x++) {
                                            chunk.putLong(z < Z && y < Y && x < X ? source.labels()[(z * 250 + y) * 250 + x] : 9);
                                        }
                                    }
                                }
                                byte[] encoded = deflate(chunk.array(), true);
                                index.putLong((indexAtEnd ? 0 : indexBytes) + chunks.size()).putLong(encoded.length);
                                chunks.write(encoded);
                            }
                        }
                    }
                    byte[] indexEncoded = indexAtEnd ? crc32c(index.array()) : index.array();
                    ByteArrayOutputStream file = new ByteArrayOutputStream();
                    if (!indexAtEnd) {
                        file.write(indexEncoded);
                    }
                    file.write(chunks.toByteArray());
                    if (indexAtEnd) {
                        file.write(indexEncoded);
                    }
                    Path path = array.resolve("c/" + sz + "/" + sy + "/" + sx);
                    Files.createDirectories(path.getParent());
                    Files.write(path, file.toByteArray());
                }
            }
        }
        try (VolumeSource volume = Volumes.open(array, Optional.empty(), Map.of())) {
            long[] labels = Expected.readAll(volume, 33, 33, 33);
            for (int z = 0; z < Z; z++) {
                for (int y = 0; y < Y; y++) {
                    for (int x = 0; x < X; x++) {
                        boolean empty = z >= 20 && z < 40 && y >= 40 && y < 60 && x >= 60 && x < 80;
                        long expected = empty ? 9 : source.labels()[(z * 250 + y) * 250 + x];
                        if (labels[(z * Y + y) * X + x] != expected) {
                            throw new AssertionError("sharded voxel (" + z + ", " + y + ", " + x + ") is "
                                    + labels[(z * Y + y) * X + x] + ", expected " + expected);
                        }
                    }
                }
            }
        }
        Path first = array.resolve("c/0/0/0");
        byte[] bytes = Files.readAllBytes(first);
        Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> {
            try (VolumeSource volume = Volumes.open(array, Optional.empty(), Map.of())) {
                volume.read(new Box(0, 0, 0, 40, 40, 40), new long[40 * 40 * 40]);
            }
        }).isInstanceOf(VolumeException.class).hasMessageContaining(first.toString());
    }

    private static Path write(Layout layout, RawLabelVolume source, Path array, boolean leadingOne) throws IOException {
        Files.createDirectories(array);
        String lead = leadingOne ? "1, " : "";
        String shape = "[" + lead + Z + ", " + Y + ", " + X + "]";
        String chunks = "[" + lead + C + ", " + C + ", " + C + "]";
        UnaryOperator<byte[]> compress;
        if (layout.zarrFormat == 2) {
            String compressor = layout.separator.equals(".") ? "{\"id\": \"zlib\", \"level\": 1}"
                    : "{\"id\": \"gzip\", \"level\": 1}";
            compress = layout.separator.equals(".") ? b -> deflate(b, false) : b -> deflate(b, true);
            Files.writeString(array.resolve(".zarray"), "{\"zarr_format\": 2, \"shape\": " + shape + ", \"chunks\": "
                    + chunks + ", \"dtype\": \"" + layout.dtype + "\", \"compressor\": " + compressor
                    + ", \"fill_value\": 0, \"order\": \"C\", \"filters\": null, \"dimension_separator\": \""
                    + layout.separator + "\"}");
        } else {
            boolean gzip = layout == Layout.V3_BIG_ENDIAN_INT32_DOT_GZIP_CRC32C;
            String keys = gzip ? "{\"name\": \"default\", \"configuration\": {\"separator\": \".\"}}"
                    : "{\"name\": \"v2\", \"configuration\": {\"separator\": \"/\"}}";
            String codecs = "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \""
                    + (layout.order == ByteOrder.BIG_ENDIAN ? "big" : "little") + "\"}}"
                    + (gzip ? ", {\"name\": \"gzip\", \"configuration\": {\"level\": 1}}, {\"name\": \"crc32c\"}" : "")
                    + "]";
            compress = gzip ? b -> crc32c(deflate(b, true)) : b -> b;
            Files.writeString(array.resolve("zarr.json"), "{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": "
                    + shape + ", \"data_type\": \"" + layout.dtype + "\", \"chunk_grid\": {\"name\": \"regular\","
                    + " \"configuration\": {\"chunk_shape\": " + chunks + "}}, \"chunk_key_encoding\": " + keys
                    + ", \"fill_value\": 0, \"codecs\": " + codecs + "}");
        }
        for (int cz = 0; cz * C < Z; cz++) {
            for (int cy = 0; cy * C < Y; cy++) {
                for (int cx = 0; cx * C < X; cx++) {
                    ByteBuffer chunk = ByteBuffer.allocate(C * C * C * layout.bytes).order(layout.order);
                    for (int z = 0; z < C; z++) {
                        for (int y = 0; y < C; y++) {
                            for (int x = 0; x < C; x++) {
                                int vz = cz * C + z;
                                int vy = cy * C + y;
                                int vx = cx * C + x;
                                long label = vz < Z && vy < Y && vx < X ? source.labels()[(vz * 250 + vy) * 250 + vx] : 0;
                                if (layout.bytes == 8) {
                                    chunk.putLong(label);
                                } else {
                                    chunk.putInt((int) label);
                                }
                            }
                        }
                    }
                    String sep = layout.separator;
                    String key = (leadingOne ? "0" + sep : "")
                            + (layout == Layout.V3_BIG_ENDIAN_INT32_DOT_GZIP_CRC32C ? "c" + sep : "")
                            + cz + sep + cy + sep + cx;
                    Path file = array.resolve(key);
                    Files.createDirectories(file.getParent());
                    Files.write(file, compress.apply(chunk.array()));
                }
            }
        }
        return array;
    }

    private static byte[] deflate(byte[] data, boolean gzip) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : new DeflaterOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return ByteBuffer.allocate(data.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(data).putInt((int) crc.getValue())
                .array();
    }
}
