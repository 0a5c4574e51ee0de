package org.pocaduck.volume.image;

import java.nio.file.Path;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;

/**
 * A volume of 2D images, one per z slice: a read decodes, one slice at a time, only the box's
 * slices and of each only the box's region as far as the image format allows (TIFF strips or
 * tiles; PNG decodes the rows up to the region's last row). Memory per read is the box plus one
 * decoded region. Not thread-safe.
 */
abstract class ImageVolume implements VolumeSource {
    private final Path path;
    private final String format;
    private final Slices.Header header;
    private final VolumeShape shape;
    private boolean closed;

    ImageVolume(Path path, String format, int slices, Slices.Header header) {
        this.path = path;
        this.format = format;
        this.header = header;
        this.shape = new VolumeShape(slices, header.height(), header.width());
    }

    @Override
    public final Path path() {
        return path;
    }

    @Override
    public final String format() {
        return format;
    }

    @Override
    public final VolumeShape shape() {
        return shape;
    }

    @Override
    public final String dtype() {
        return header.dtype();
    }

    @Override
    public final void read(Box box, long[] target) {
        Checks.requireOpen(closed, path);
        Checks.requireReadable(box, target, shape, path);
        for (long z = box.z0(); z < box.z0() + box.sizeZ(); z++) {
            readSlice((int) z, header, box, z - box.z0(), target);
        }
    }

    /**
     * Reads the box's region of slice {@code z} into the box's slice {@code slice} of target.
     *
     * @param header the first slice's size and type, that every slice must match
     */
    abstract void readSlice(int z, Slices.Header header, Box box, long slice, long[] target);

    /** Releases what the volume holds open; called once. */
    abstract void release();

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }
}
