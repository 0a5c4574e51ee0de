package org.pocaduck.volume.image;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageReader;
import org.pocaduck.volume.Box;

/** An open image stack, file = z. Holds no file open between reads. Not thread-safe. */
final class ImageStackVolume extends ImageVolume {
    private final List<Path> slices;

    ImageStackVolume(Path path, List<Path> slices, Slices.Header header) {
        super(path, ImageStackFormat.NAME, slices.size(), header);
        this.slices = List.copyOf(slices);
    }

    @Override
    void readSlice(int z, Slices.Header header, Box box, long slice, long[] target) {
        Path file = slices.get(z);
        ImageReader reader = Slices.open(file);
        try {
            Slices.read(reader, 0, file, header, box, slice, target);
        } finally {
            Slices.close(reader);
        }
    }

    @Override
    void release() {
        // Each read opens and closes its own files.
    }
}
