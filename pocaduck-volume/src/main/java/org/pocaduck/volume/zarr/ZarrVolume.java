package org.pocaduck.volume.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;
import org.pocaduck.volume.internal.Regions;

/**
 * An open Zarr array. A {@link #read} opens and decodes only the chunk files that intersect the
 * box, one at a time: memory per read is the box plus one encoded and one decoded chunk. A box
 * aligned to the chunk grid decodes each chunk once; other boxes decode the chunks they share
 * again. A missing chunk file reads as the array's fill value (Zarr specification). Not
 * thread-safe; holds no open files between reads.
 */
final class ZarrVolume implements VolumeSource {
    private final Path path;
    private final ZarrArray array;
    private final VolumeShape shape;
    private final int[] chunk;
    private boolean closed;

    ZarrVolume(Path path, ZarrArray array) {
        this.path = path;
        this.array = array;
        int n = array.shape().length;
        this.shape = new VolumeShape(array.shape()[n - 3], array.shape()[n - 2], array.shape()[n - 1]);
        this.chunk = new int[] {array.chunks()[n - 3], array.chunks()[n - 2], array.chunks()[n - 1]};
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String format() {
        return ZarrFormat.NAME;
    }

    @Override
    public VolumeShape shape() {
        return shape;
    }

    @Override
    public String dtype() {
        return array.type().name();
    }

    @Override
    public void read(Box box, long[] target) {
        Checks.requireOpen(closed, path);
        Checks.requireReadable(box, target, shape, path);
        for (long cz = box.z0() / chunk[0]; cz <= (box.z0() + box.sizeZ() - 1) / chunk[0]; cz++) {
            for (long cy = box.y0() / chunk[1]; cy <= (box.y0() + box.sizeY() - 1) / chunk[1]; cy++) {
                for (long cx = box.x0() / chunk[2]; cx <= (box.x0() + box.sizeX() - 1) / chunk[2]; cx++) {
                    long[] origin = {cz * chunk[0], cy * chunk[1], cx * chunk[2]};
                    Path file = array.chunkFile(cz, cy, cx);
                    byte[] decoded = decode(file);
                    if (decoded == null) {
                        if (array.type().signed() && array.fill() < 0) {
                            throw array.type().negative(file, "(z, y, x) = (" + origin[0] + ", " + origin[1] + ", "
                                    + origin[2] + ") (missing chunk, fill_value)", array.fill());
                        }
                        Regions.fillBlock(array.fill(), origin, chunk, box, target);
                    } else {
                        Regions.copyBlock(ByteBuffer.wrap(decoded), array.type(), origin, chunk, box, target, file);
                    }
                }
            }
        }
    }

    /** @return the decoded chunk, or null if its file does not exist */
    private byte[] decode(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new VolumeException("Cannot read chunk " + file + " of Zarr array " + array.directory() + ": " + e, e);
        }
        long expected = array.chunkBytes();
        try {
            for (int i = 0; i < array.codecs().size(); i++) {
                Codec codec = array.codecs().get(i);
                data = codec.decode(data, i == array.codecs().size() - 1 && expected < Integer.MAX_VALUE
                        ? (int) expected : -1);
            }
        } catch (CodecException e) {
            throw new VolumeException("Cannot read chunk " + file + " of Zarr array " + array.directory() + ": "
                    + e.getMessage(), e);
        }
        if (data.length != expected) {
            throw new VolumeException("Cannot read chunk " + file + " of Zarr array " + array.directory()
                    + ": it decodes to " + data.length + " bytes, but the metadata's chunk shape "
                    + java.util.Arrays.toString(array.chunks()) + " of " + array.type().name() + " needs " + expected);
        }
        return data;
    }

    @Override
    public void close() {
        closed = true;
    }

}
