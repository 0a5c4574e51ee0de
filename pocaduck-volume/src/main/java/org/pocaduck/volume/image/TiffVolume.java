package org.pocaduck.volume.image;

import java.nio.file.Path;
import javax.imageio.ImageReader;
import org.pocaduck.volume.Box;

/** An open multi-page TIFF, page = z. Holds the file open until closed. Not thread-safe. */
final class TiffVolume extends ImageVolume {
    private final ImageReader reader;

    TiffVolume(Path path, ImageReader reader, int pages, Slices.Header header) {
        super(path, TiffFormat.NAME, pages, header);
        this.reader = reader;
    }

    @Override
    void readSlice(int z, Slices.Header header, Box box, long slice, long[] target) {
        Slices.read(reader, z, path(), header, box, slice, target);
    }

    @Override
    void release() {
        Slices.close(reader);
    }
}
