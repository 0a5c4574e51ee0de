package org.pocaduck.volume.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;
import org.pocaduck.volume.internal.ElementType;
import org.pocaduck.volume.internal.Regions;

/**
 * An open HDF5 dataset. For a contiguous dataset a {@link #read} asks jHDF for the box as one
 * hyperslab, and jHDF reads only the box's rows from the file. For a chunked dataset it asks jHDF
 * for each chunk that intersects the box, decompressed ({@code getDecompressedChunk}), one at a
 * time, and copies the box's part: jHDF 0.9.4's hyperslab read of a chunked dataset returns wrong
 * values outside the first chunk, so it is not used. A chunk never written reads as the dataset's
 * fill value (0 if none), as in the HDF5 library. Memory per read is the box plus one decoded
 * chunk (contiguous: the box's stored bytes). Not thread-safe; the caller closes it.
 */
final class Hdf5Volume implements VolumeSource {
    private final Path path;
    private final HdfFile file;
    private final DatasetBase dataset;
    private final ElementType type;
    private final VolumeShape shape;
    private final ChunkedDatasetBase chunked;
    private final int[] chunk;
    private boolean closed;

    Hdf5Volume(Path path, HdfFile file, DatasetBase dataset, ElementType type) {
        this.path = path;
        this.file = file;
        this.dataset = dataset;
        this.type = type;
        int[] dims = dataset.getDimensions();
        this.shape = new VolumeShape(dims[0], dims[1], dims[2]);
        this.chunked = dataset instanceof ChunkedDatasetBase c ? c : null;
        this.chunk = chunked == null ? null : chunked.getChunkDimensions().clone();
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String format() {
        return Hdf5Format.NAME;
    }

    @Override
    public VolumeShape shape() {
        return shape;
    }

    @Override
    public String dtype() {
        return type.name();
    }

    @Override
    public void read(Box box, long[] target) {
        Checks.requireOpen(closed, path);
        Checks.requireReadable(box, target, shape, path);
        if (chunked == null) {
            readSlab(box, target);
            return;
        }
        for (long cz = box.z0() / chunk[0]; cz <= (box.z0() + box.sizeZ() - 1) / chunk[0]; cz++) {
            for (long cy = box.y0() / chunk[1]; cy <= (box.y0() + box.sizeY() - 1) / chunk[1]; cy++) {
                for (long cx = box.x0() / chunk[2]; cx <= (box.x0() + box.sizeX() - 1) / chunk[2]; cx++) {
                    int[] offset = {(int) (cz * chunk[0]), (int) (cy * chunk[1]), (int) (cx * chunk[2])};
                    byte[] decoded;
                    try {
                        decoded = chunked.getDecompressedChunk(offset);
                    } catch (HdfException e) {
                        if (e.getMessage() != null && e.getMessage().startsWith("No chunk with offset")) {
                            // Never written: HDF5 reads it as the dataset's fill value.
                            Regions.fillBlock(fill(offset), new long[] {offset[0], offset[1], offset[2]}, chunk, box,
                                    target);
                            continue;
                        }
                        throw new VolumeException("Cannot read chunk at (z, y, x) = (" + offset[0] + ", " + offset[1]
                                + ", " + offset[2] + ") of volume " + path + " dataset " + dataset.getPath() + ": "
                                + e.getMessage(), e);
                    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                        throw new VolumeException("Cannot read chunk at (z, y, x) = (" + offset[0] + ", " + offset[1]
                                + ", " + offset[2] + ") of volume " + path + " dataset " + dataset.getPath() + ": "
                                + e.getMessage(), e);
                    }
                    long expected = (long) chunk[0] * chunk[1] * chunk[2] * type.bytes();
                    if (decoded.length != expected) {
                        throw new VolumeException("Cannot read chunk at (z, y, x) = (" + offset[0] + ", " + offset[1]
                                + ", " + offset[2] + ") of volume " + path + " dataset " + dataset.getPath()
                                + ": it decodes to " + decoded.length + " bytes, expected " + expected);
                    }
                    Regions.copyBlock(ByteBuffer.wrap(decoded), type, new long[] {offset[0], offset[1], offset[2]},
                            chunk, box, target, path);
                }
            }
        }
    }

    /** @return the label of a never-written chunk: the dataset's fill value, 0 if it has none */
    private long fill(int[] offset) {
        Object value = dataset.getFillValue();
        long fill = switch (value) {
            case null -> 0;
            case java.math.BigInteger big -> big.longValue();
            case Number number -> number.longValue();
            default -> throw new VolumeException("Cannot read volume " + path + " dataset " + dataset.getPath()
                    + ": fill value " + value + " is not an integer");
        };
        if (type.signed() && fill < 0) {
            throw type.negative(path, "(z, y, x) = (" + offset[0] + ", " + offset[1] + ", " + offset[2]
                    + ") (unwritten chunk, fill value)", fill);
        }
        return fill;
    }

    /** Reads a box of a contiguous dataset as one hyperslab. */
    private void readSlab(Box box, long[] target) {
        if (box.sizeZ() * box.sizeY() * box.sizeX() * type.bytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read " + box + " of volume " + path + ": more than 2 GiB of "
                    + type.name() + " in one read; read smaller boxes");
        }
        int[] dims = {(int) box.sizeZ(), (int) box.sizeY(), (int) box.sizeX()};
        long[] origin = {box.z0(), box.y0(), box.x0()};
        ByteBuffer data;
        try {
            data = dataset.getSliceDataBuffer(origin, dims);
        } catch (HdfException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new VolumeException("Cannot read " + box + " of volume " + path + " dataset " + dataset.getPath()
                    + ": " + e.getMessage(), e);
        }
        long expected = box.voxels() * type.bytes();
        if (data.remaining() != expected) {
            throw new VolumeException("Cannot read " + box + " of volume " + path + " dataset " + dataset.getPath()
                    + ": got " + data.remaining() + " bytes, expected " + expected);
        }
        Regions.copyBlock(data.slice(), type, origin, dims, box, target, path);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }
}
