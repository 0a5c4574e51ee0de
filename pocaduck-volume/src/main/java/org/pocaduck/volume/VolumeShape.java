package org.pocaduck.volume;

/**
 * The size of a 3D label volume in voxels, in z, y, x order (x varies fastest in memory).
 *
 * @param z number of slices
 * @param y rows per slice
 * @param x columns per row
 */
public record VolumeShape(long z, long y, long x) {
    /** @throws IllegalArgumentException if a size is not positive */
    public VolumeShape {
        if (z < 1 || y < 1 || x < 1) {
            throw new IllegalArgumentException("Cannot describe volume of shape (z, y, x) = (" + z + ", " + y + ", "
                    + x + "): every size must be at least 1");
        }
    }

    /** @return the number of voxels */
    public long voxels() {
        return Math.multiplyExact(Math.multiplyExact(z, y), x);
    }

    /** @return the whole volume as a box */
    public Box all() {
        return new Box(0, 0, 0, z, y, x);
    }

    @Override
    public String toString() {
        return "(z, y, x) = (" + z + ", " + y + ", " + x + ")";
    }
}
