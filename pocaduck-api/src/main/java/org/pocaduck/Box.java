package org.pocaduck;

/**
 * An axis-aligned box of voxel coordinates, bounds inclusive: a point is inside when its x, y
 * and z (the first three values of a point, see {@link PointSchema}) each lie between the box's
 * minimum and maximum on that axis, both included. Coordinates are full-resolution voxel
 * coordinates of the scanned volume, signed int64.
 *
 * <p>Used by {@link PointFilter} to read only the points of a label inside a region
 * ({@link Query#points(long, PointFilter)}). Immutable and thread-safe.
 *
 * @param minX the smallest x inside the box
 * @param minY the smallest y inside the box
 * @param minZ the smallest z inside the box
 * @param maxX the largest x inside the box, at least {@code minX}
 * @param maxY the largest y inside the box, at least {@code minY}
 * @param maxZ the largest z inside the box, at least {@code minZ}
 */
public record Box(long minX, long minY, long minZ, long maxX, long maxY, long maxZ) {
    /** @throws IllegalArgumentException if a minimum is above its maximum (the message names both) */
    public Box {
        check("x", minX, maxX);
        check("y", minY, maxY);
        check("z", minZ, maxZ);
    }

    private static void check(String axis, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("Cannot create box: min" + axis + " = " + min + " is above max" + axis
                    + " = " + max + " (bounds are inclusive: min <= max on every axis)");
        }
    }

    /**
     * @param x a full-resolution x
     * @param y a full-resolution y
     * @param z a full-resolution z
     * @return true if the point lies inside the box, bounds included
     */
    public boolean contains(long x, long y, long z) {
        return x >= minX && x <= maxX && y >= minY && y <= maxY && z >= minZ && z <= maxZ;
    }

    /** @return the bounds as {@code x minX..maxX, y minY..maxY, z minZ..maxZ} */
    @Override
    public String toString() {
        return "x " + minX + ".." + maxX + ", y " + minY + ".." + maxY + ", z " + minZ + ".." + maxZ;
    }
}
