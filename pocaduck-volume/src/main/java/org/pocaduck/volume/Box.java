package org.pocaduck.volume;

/**
 * A box-shaped sub-volume: an offset and a size in voxels, in z, y, x order. Reading a box gives
 * its labels in C order, x fastest: the label of voxel (x, y, z) of the volume is at index
 * {@code ((z - z0) * sizeY + (y - y0)) * sizeX + (x - x0)}.
 *
 * @param z0 first slice
 * @param y0 first row
 * @param x0 first column
 * @param sizeZ slices
 * @param sizeY rows
 * @param sizeX columns
 */
public record Box(long z0, long y0, long x0, long sizeZ, long sizeY, long sizeX) {
    /** @throws IllegalArgumentException if an offset is negative or a size is not positive */
    public Box {
        if (z0 < 0 || y0 < 0 || x0 < 0 || sizeZ < 1 || sizeY < 1 || sizeX < 1) {
            throw new IllegalArgumentException("Cannot describe box at (z, y, x) = (" + z0 + ", " + y0 + ", " + x0
                    + ") of size (" + sizeZ + ", " + sizeY + ", " + sizeX
                    + "): offsets must be at least 0 and sizes at least 1");
        }
    }

    /** @return the number of voxels */
    public long voxels() {
        return Math.multiplyExact(Math.multiplyExact(sizeZ, sizeY), sizeX);
    }

    /** @return true if the box lies inside a volume of the given shape */
    public boolean within(VolumeShape shape) {
        return z0 + sizeZ <= shape.z() && y0 + sizeY <= shape.y() && x0 + sizeX <= shape.x();
    }

    @Override
    public String toString() {
        return "box at (z, y, x) = (" + z0 + ", " + y0 + ", " + x0 + ") of size (" + sizeZ + ", " + sizeY + ", "
                + sizeX + ")";
    }
}
