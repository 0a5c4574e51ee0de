package org.pocaduck.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.pocaduck.PointCloud;

/**
 * A small label volume of the shared data ({@code *.u64.raw.gz}, {@code dvid_blocks/*.dat.gz}),
 * read whole: gzip of little-endian uint64 labels in C order over the sidecar's
 * {@code shape_zyx}, x fastest, {@code index = (z*Y + y)*X + x} (see
 * {@code shared/data/README.md}). For test volumes that fit in memory only.
 *
 * @param sizeZ Z
 * @param sizeY Y
 * @param sizeX X
 * @param labels Z*Y*X labels in C order
 */
public record RawLabelVolume(int sizeZ, int sizeY, int sizeX, long[] labels) {
    /**
     * Reads a volume and its JSON sidecar (the data file's name with {@code .json} in place of
     * {@code .u64.raw.gz} or {@code .dat.gz}).
     */
    public static RawLabelVolume read(Path data) {
        String name = data.getFileName().toString();
        String base = name.replaceFirst("(\\.u64\\.raw\\.gz|\\.dat\\.gz)$", "");
        Path sidecar = data.resolveSibling(base + ".json");
        try {
            JsonNode json = new ObjectMapper().readTree(sidecar.toFile());
            JsonNode shape = json.get("shape_zyx");
            int z = shape.get(0).asInt();
            int y = shape.get(1).asInt();
            int x = shape.get(2).asInt();
            long[] labels = new long[Math.multiplyExact(Math.multiplyExact(z, y), x)];
            byte[] buffer = new byte[1 << 16];
            ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
            try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(data), 1 << 16))) {
                int at = 0;
                while (at < labels.length) {
                    int want = Math.min(buffer.length, (labels.length - at) * Long.BYTES);
                    ((DataInputStream) in).readFully(buffer, 0, want);
                    for (int i = 0; i < want; i += Long.BYTES) {
                        labels[at++] = view.getLong(i);
                    }
                }
                if (in.read() != -1) {
                    throw new IllegalStateException("Cannot read " + data + ": more data than shape " + z + "x" + y + "x" + x);
                }
            }
            return new RawLabelVolume(z, y, x, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read label volume " + data, e);
        }
    }

    /**
     * Every label's voxels as (x, y, z) points, in C order of the volume.
     *
     * @return clouds of D = 3 by label
     */
    public Map<Long, PointCloud> pointsByLabel() {
        Map<Long, int[]> counts = new HashMap<>();
        for (long label : labels) {
            counts.computeIfAbsent(label, l -> new int[1])[0]++;
        }
        Map<Long, long[]> values = new HashMap<>();
        Map<Long, int[]> fill = new HashMap<>();
        counts.forEach((label, count) -> {
            values.put(label, new long[count[0] * 3]);
            fill.put(label, new int[1]);
        });
        int i = 0;
        for (int z = 0; z < sizeZ; z++) {
            for (int y = 0; y < sizeY; y++) {
                for (int x = 0; x < sizeX; x++, i++) {
                    long label = labels[i];
                    long[] v = values.get(label);
                    int[] f = fill.get(label);
                    v[f[0]++] = x;
                    v[f[0]++] = y;
                    v[f[0]++] = z;
                }
            }
        }
        Map<Long, PointCloud> clouds = new HashMap<>();
        values.forEach((label, v) -> clouds.put(label, PointCloud.wrap(v, 3)));
        return clouds;
    }
}
