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
        long z0 = Math.max(origin[0], box.z0());
        long z1 = Math.min(origin[0] + dims[0], box.z0() + box.sizeZ());
        long y0 = Math.max(origin[1], box.y0());
        long y1 = Math.min(origin[1] + dims[1], box.y0() + box.sizeY());
        long x0 = Math.max(origin[2], box.x0());
        long x1 = Math.min(origin[2] + dims[2], box.x0() + box.sizeX());
        if (z0 >= z1 || y0 >= y1 || x0 >= x1) {
            return;
        }
        int run = (int) (x1 - x0);
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
        long z0 = Math.max(origin[0], box.z0());
        long z1 = Math.min(origin[0] + dims[0], box.z0() + box.sizeZ());
        long y0 = Math.max(origin[1], box.y0());
        long y1 = Math.min(origin[1] + dims[1], box.y0() + box.sizeY());
        long x0 = Math.max(origin[2], box.x0());
        long x1 = Math.min(origin[2] + dims[2], box.x0() + box.sizeX());
        for (long z = z0; z < z1; z++) {
            for (long y = y0; y < y1; y++) {
                int into = (int) (((z - box.z0()) * box.sizeY() + (y - box.y0())) * box.sizeX() + (x0 - box.x0()));
                java.util.Arrays.fill(target, into, into + (int) (x1 - x0), label);
            }
        }
    }
}
