package org.pocaduck.volume.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.pocaduck.volume.Box;

/** Copies stored blocks of elements into box-shaped label arrays. Stateless, thread-safe. */
public final class Regions {
    private Regions() {
    }

    /**
     * Copies the part of a stored block that lies inside a box.
     *
     * @param data the block's elements in C order (x fastest), {@code dz * dy * dx} of them
     * @param type their element type
     * @param origin the block's first voxel in the volume, z, y, x
     * @param dims the block's size in voxels, z, y, x (a chunk's full, padded size)
     * @param box the box being read
     * @param target receives the box's labels in C order (see {@link Box})
     * @param file the file named in errors
     * @throws org.pocaduck.volume.VolumeException if a signed element is negative
     */
    public static void copyBlock(ByteBuffer data, ElementType type, long[] origin, int[] dims, Box box, long[] target,
            Path file) {
        long[] r = intersect(origin, dims, box);
        long z0 = r[0];
        long z1 = r[1];
        long y0 = r[2];
        long y1 = r[3];
        long x0 = r[4];
        int run = (int) (r[5] - x0);
        if (run <= 0) {
            return;
        }
        for (long z = z0; z < z1; z++) {
            for (long y = y0; y < y1; y++) {
                long source = (((z - origin[0]) * dims[1] + (y - origin[1])) * dims[2] + (x0 - origin[2])) * type.bytes();
                long into = ((z - box.z0()) * box.sizeY() + (y - box.y0())) * box.sizeX() + (x0 - box.x0());
                type.copy(data, Math.toIntExact(source), run, target, (int) into, file, ElementType.VoxelName.run(z, y, x0));
            }
        }
    }

    /**
     * Fills the part of a block that lies inside a box with one label.
     *
     * @param label the fill label
     */
    public static void fillBlock(long label, long[] origin, int[] dims, Box box, long[] target) {
        long[] r = intersect(origin, dims, box);
        for (long z = r[0]; z < r[1]; z++) {
            for (long y = r[2]; y < r[3]; y++) {
                int into = (int) (((z - box.z0()) * box.sizeY() + (y - box.y0())) * box.sizeX() + (r[4] - box.x0()));
                java.util.Arrays.fill(target, into, into + (int) (r[5] - r[4]), label);
            }
        }
    }

    /**
     * @return the block's part inside the box as {z0, z1, y0, y1, x0, x1}, ends exclusive; empty
     *     ranges (start &gt;= end) if they do not meet
     */
    private static long[] intersect(long[] origin, int[] dims, Box box) {
        return new long[] {
            Math.max(origin[0], box.z0()), Math.min(origin[0] + dims[0], box.z0() + box.sizeZ()),
            Math.max(origin[1], box.y0()), Math.min(origin[1] + dims[1], box.y0() + box.sizeY()),
            Math.max(origin[2], box.x0()), Math.min(origin[2] + dims[2], box.x0() + box.sizeX())};
    }
}
