package org.pocaduck.volume.raw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming reader of one raw volume (see {@link RawVolumeFormat}). The file is decompressed
 * front to back as boxes ask for data, holding only a small buffer: boxes read in increasing
 * C order (for example slabs of whole slices in increasing z) cost one sequential pass and the
 * volume is never held whole. A box that starts before the current position restarts the
 * stream from the file's beginning (correct, but a second pass). Not thread-safe.
 */
final class RawVolumeSource implements VolumeSource {
    private static final Logger LOG = LoggerFactory.getLogger(RawVolumeSource.class);
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path path;
    private final VolumeShape shape;
    private final boolean gzip;
    private final long totalVoxels;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final LongBuffer longs = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    private InputStream in;
    /** Index of the next voxel the stream gives. */
    private long position;
    private boolean endChecked;
    private boolean closed;

    RawVolumeSource(Path path, VolumeShape shape, boolean gzip) {
        this.path = path;
        this.shape = shape;
        this.gzip = gzip;
        this.totalVoxels = shape.voxels();
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String format() {
        return RawVolumeFormat.NAME;
    }

    @Override
    public VolumeShape shape() {
        return shape;
    }

    @Override
    public String dtype() {
        return "uint64";
    }

    @Override
    public void read(Box box, long[] target) {
        Objects.requireNonNull(box, "box is null");
        Objects.requireNonNull(target, "target is null");
        if (closed) {
            throw new IllegalStateException("Cannot read raw volume " + path + ": it is closed");
        }
        if (!box.within(shape)) {
            throw new IllegalArgumentException("Cannot read " + box + " of raw volume " + path
                    + ": it lies outside the volume's shape " + shape);
        }
        if (target.length < box.voxels()) {
            throw new IllegalArgumentException("Cannot read " + box + " of raw volume " + path + ": the target holds "
                    + target.length + " labels, the box has " + box.voxels());
        }
        long sizeY = shape.y();
        long sizeX = shape.x();
        int at = 0;
        if (box.sizeX() == sizeX && box.sizeY() == sizeY) {
            readRun(box.z0() * sizeY * sizeX, (int) box.voxels(), target, 0);
            return;
        }
        for (long z = box.z0(); z < box.z0() + box.sizeZ(); z++) {
            if (box.sizeX() == sizeX) {
                int run = (int) (box.sizeY() * sizeX);
                readRun((z * sizeY + box.y0()) * sizeX, run, target, at);
                at += run;
                continue;
            }
            for (long y = box.y0(); y < box.y0() + box.sizeY(); y++) {
                readRun((z * sizeY + y) * sizeX + box.x0(), (int) box.sizeX(), target, at);
                at += (int) box.sizeX();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStream();
    }

    @Override
    public String toString() {
        return "raw volume " + path + " " + shape;
    }

    /** Reads {@code count} labels starting at voxel index {@code start} into target[offset..]. */
    private void readRun(long start, int count, long[] target, int offset) {
        try {
            if (in == null || start < position) {
                if (in != null) {
                    LOG.debug("Restarting raw volume {} at voxel {} to read voxel {}", path, position, start);
                }
                reopen();
            }
            while (position < start) {
                int voxels = (int) Math.min(start - position, BUFFER_BYTES / Long.BYTES);
                fill(voxels);
                position += voxels;
            }
            int done = 0;
            while (done < count) {
                int voxels = Math.min(count - done, BUFFER_BYTES / Long.BYTES);
                fill(voxels);
                longs.get(0, target, offset + done, voxels);
                done += voxels;
                position += voxels;
            }
            if (position == totalVoxels && !endChecked) {
                endChecked = true;
                if (in.read() != -1) {
                    throw new VolumeException("Cannot read raw volume " + path + ": shape mismatch: the file holds more "
                            + "than the " + totalVoxels + " uint64 labels of shape " + shape + " from its sidecar");
                }
            }
        } catch (IOException e) {
            throw new VolumeException("Cannot read raw volume " + path + ": truncated or corrupt near voxel " + position
                    + " of " + totalVoxels + ": " + e.getMessage(), e);
        }
    }

    /** Fills the buffer with {@code voxels} labels' bytes or fails naming the shortfall. */
    private void fill(int voxels) throws IOException {
        int want = voxels * Long.BYTES;
        int got = in.readNBytes(buffer, 0, want);
        if (got < want) {
            long have = position + got / Long.BYTES;
            throw new VolumeException("Cannot read raw volume " + path + ": truncated: the data ends after " + have
                    + " of the " + totalVoxels + " uint64 labels of shape " + shape + " from its sidecar");
        }
    }

    private void reopen() throws IOException {
        closeStream();
        InputStream file = Files.newInputStream(path);
        try {
            in = gzip ? new GZIPInputStream(file, 1 << 16) : new java.io.BufferedInputStream(file, 1 << 16);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        position = 0;
        endChecked = false;
    }

    private void closeStream() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("Cannot close raw volume {}: {}", path, e.toString());
            }
            in = null;
        }
    }
}
