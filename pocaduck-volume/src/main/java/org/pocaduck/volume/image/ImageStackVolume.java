package org.pocaduck.volume.image;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageReader;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;

/**
 * An open image stack. A {@link #read} opens only the files of the box's slices, one at a time,
 * and decodes the box's region of each (PNG decodes the rows up to the region's last row): memory
 * per read is the box plus one decoded region. Holds no file open between reads. Not thread-safe.
 */
final class ImageStackVolume implements VolumeSource {
    private final Path path;
    private final List<Path> slices;
    private final Slices.Header header;
    private final VolumeShape shape;
    private boolean closed;

    ImageStackVolume(Path path, List<Path> slices, Slices.Header header) {
        this.path = path;
        this.slices = List.copyOf(slices);
        this.header = header;
        this.shape = new VolumeShape(slices.size(), header.height(), header.width());
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String format() {
        return ImageStackFormat.NAME;
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
            Path file = slices.get((int) z);
            ImageReader reader = Slices.open(file);
            try {
                Slices.read(reader, 0, file, header, box, z - box.z0(), target);
            } finally {
                Slices.close(reader);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
