package org.pocaduck.volume.image;

import java.nio.file.Path;
import javax.imageio.ImageReader;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;

/**
 * An open multi-page TIFF. A {@link #read} decodes only the pages of the box's slices, and of each
 * only the box's region as far as the TIFF's strips or tiles allow: memory per read is the box
 * plus one decoded region. Holds the file open until closed. Not thread-safe.
 */
final class TiffVolume implements VolumeSource {
    private final Path path;
    private final ImageReader reader;
    private final Slices.Header header;
    private final VolumeShape shape;
    private boolean closed;

    TiffVolume(Path path, ImageReader reader, int pages, Slices.Header header) {
        this.path = path;
        this.reader = reader;
        this.header = header;
        this.shape = new VolumeShape(pages, header.height(), header.width());
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String format() {
        return TiffFormat.NAME;
    }

    @Override
    public VolumeShape shape() {
        return shape;
    }

    @Override
    public String dtype() {
        return header.dtype();
    }

    @Override
    public void read(Box box, long[] target) {
        Checks.requireOpen(closed, path);
        Checks.requireReadable(box, target, shape, path);
        for (long z = box.z0(); z < box.z0() + box.sizeZ(); z++) {
            Slices.read(reader, (int) z, path, header, box, z - box.z0(), target);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Slices.close(reader);
        }
    }
}
