package org.pocaduck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.pocaduck.Labels;

/**
 * A label volume made up for {@code pocaduck selftest}, whose every count is known exactly: the
 * volume is cut into cubic cells of {@value #CELL} voxels, and each cell holds one label in a cube
 * of {@value #BODY} voxels at its centre, background (0) around it. Cells at the far edges are cut
 * by the volume's end. The label of cell {@code k} (C order, x fastest) is
 * {@code (k + 1) * 0x9E3779B97F4A7C15} modulo 2^64: distinct, never 0, and spread over the whole
 * uint64 range (about half of them at 2^63 or above). Written in the raw + JSON sidecar format of
 * the shared data ({@code .u64.raw.gz}: little-endian uint64, C order, gzip).
 */
final class SyntheticVolume {
    static final int CELL = 25;
    static final int BODY = 21;
    private static final int MARGIN = (CELL - BODY) / 2;
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    /** One cell's label and the cube of voxels it holds, bounds inclusive-exclusive. */
    record Body(long label, int x0, int x1, int y0, int y1, int z0, int z1) {
        long voxels() {
            return (long) (x1 - x0) * (y1 - y0) * (z1 - z0);
        }

        /** @return the block ids {@code bx_by_bz} this body touches, sorted as strings */
        TreeSet<String> blocks(int blockSize) {
            TreeSet<String> ids = new TreeSet<>();
            for (int bz = z0 / blockSize; bz <= (z1 - 1) / blockSize; bz++) {
                for (int by = y0 / blockSize; by <= (y1 - 1) / blockSize; by++) {
                    for (int bx = x0 / blockSize; bx <= (x1 - 1) / blockSize; bx++) {
                        ids.add(bx + "_" + by + "_" + bz);
                    }
                }
            }
            return ids;
        }

        /** @return the body's points (x, y, z), N x 3 row-major, in C order of the volume */
        long[] points() {
            long[] values = new long[Math.toIntExact(voxels() * 3)];
            int at = 0;
            for (int z = z0; z < z1; z++) {
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        values[at++] = x;
                        values[at++] = y;
                        values[at++] = z;
                    }
                }
            }
            return values;
        }
    }

    private final int sizeX;
    private final int sizeY;
    private final int sizeZ;
    private final List<Body> bodies = new ArrayList<>();

    SyntheticVolume(int sizeX, int sizeY, int sizeZ) {
        this.sizeX = sizeX;
        this.sizeY = sizeY;
        this.sizeZ = sizeZ;
        int cellsX = (sizeX + CELL - 1) / CELL;
        int cellsY = (sizeY + CELL - 1) / CELL;
        int cellsZ = (sizeZ + CELL - 1) / CELL;
        long k = 0;
        for (int cz = 0; cz < cellsZ; cz++) {
            for (int cy = 0; cy < cellsY; cy++) {
                for (int cx = 0; cx < cellsX; cx++, k++) {
                    int x0 = cx * CELL + MARGIN;
                    int y0 = cy * CELL + MARGIN;
                    int z0 = cz * CELL + MARGIN;
                    int x1 = Math.min(x0 + BODY, sizeX);
                    int y1 = Math.min(y0 + BODY, sizeY);
                    int z1 = Math.min(z0 + BODY, sizeZ);
                    if (x0 < x1 && y0 < y1 && z0 < z1) {
                        bodies.add(new Body((k + 1) * MULTIPLIER, x0, x1, y0, y1, z0, z1));
                    }
                }
            }
        }
    }

    /** @return the bodies, in cell order */
    List<Body> bodies() {
        return bodies;
    }

    /** @return the labels in unsigned order, as {@code pocaduck labels} prints them */
    long[] sortedLabels() {
        long[] labels = bodies.stream().mapToLong(Body::label).toArray();
        Labels.sortUnsigned(labels);
        return labels;
    }

    /** @return every body's voxels together */
    long points() {
        return bodies.stream().mapToLong(Body::voxels).sum();
    }

    /**
     * Writes the volume as {@code <name>.u64.raw.gz} with its sidecar {@code <name>.json} in
     * {@code dir}.
     *
     * @return the volume file
     */
    Path write(Path dir, String name) throws IOException {
        Path volume = dir.resolve(name + ".u64.raw.gz");
        long[] row = new long[sizeX];
        ByteBuffer bytes = ByteBuffer.allocate(sizeX * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int cellsX = (sizeX + CELL - 1) / CELL;
        int cellsY = (sizeY + CELL - 1) / CELL;
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(volume), 1 << 16),
                1 << 16)) {
            for (int z = 0; z < sizeZ; z++) {
                for (int y = 0; y < sizeY; y++) {
                    boolean inZ = z % CELL >= MARGIN && z % CELL < MARGIN + BODY;
                    boolean inY = y % CELL >= MARGIN && y % CELL < MARGIN + BODY;
                    for (int x = 0; x < sizeX; x++) {
                        boolean inX = x % CELL >= MARGIN && x % CELL < MARGIN + BODY;
                        long cell = ((long) (z / CELL) * cellsY + y / CELL) * cellsX + x / CELL;
                        row[x] = inX && inY && inZ ? (cell + 1) * MULTIPLIER : 0;
                    }
                    bytes.clear();
                    bytes.asLongBuffer().put(row);
                    out.write(bytes.array());
                }
            }
        }
        Map<String, Object> sidecar = new LinkedHashMap<>();
        sidecar.put("file", volume.getFileName().toString());
        sidecar.put("content", "pocaduck selftest: one cube-shaped label per " + CELL + "-voxel cell");
        sidecar.put("shape_zyx", List.of(sizeZ, sizeY, sizeX));
        sidecar.put("dtype", "uint64");
        sidecar.put("byte_order", "little");
        sidecar.put("order", "C (x fastest)");
        sidecar.put("compression", "gzip");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".json").toFile(), sidecar);
        return volume;
    }
}
