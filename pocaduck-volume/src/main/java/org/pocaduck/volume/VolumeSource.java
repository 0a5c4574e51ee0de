package org.pocaduck.volume;

import java.nio.file.Path;

/**
 * An open 3D label volume that can be read box by box, so that a volume larger than memory is
 * read slab by slab (or chunk by chunk) and a cluster worker reads only its share.
 *
 * <p>Labels are returned as uint64 carried in a {@code long}: unsigned source types (uint8 to
 * uint64) are widened without sign; signed source types (int8 to int64) must hold no negative
 * label, and a negative one is an error naming the file and the voxel.
 *
 * <p>Not thread-safe unless the implementation says so: one reader per thread. The caller
 * closes it; {@link #close()} is idempotent.
 */
public interface VolumeSource extends AutoCloseable {
    /** @return the file or directory the volume was opened from */
    Path path();

    /** @return the format's name, such as {@code raw}, {@code hdf5}, {@code zarr} */
    String format();

    /** @return the volume's size in voxels, z, y, x */
    VolumeShape shape();

    /** @return the stored element type, such as {@code uint64}, {@code int32}, {@code uint16} */
    String dtype();

    /**
     * Reads the labels of one box.
     *
     * @param box a box inside {@link #shape()}
     * @param target receives {@code box.voxels()} labels in C order, x fastest (see {@link Box});
     *     its length must be at least that
     * @throws IllegalArgumentException if the box is outside the volume or {@code target} is
     *     too short
     * @throws VolumeException if the data cannot be read or is corrupt (the message names the
     *     file and the problem)
     */
    void read(Box box, long[] target);

    /** Releases files held open. Idempotent; throws nothing checked. */
    @Override
    void close();
}
