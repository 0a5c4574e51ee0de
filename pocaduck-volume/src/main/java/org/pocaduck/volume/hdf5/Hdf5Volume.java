package org.pocaduck.volume.hdf5;

import io.jhdf.HdfFile;
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
 * An open HDF5 dataset. Each {@link #read} asks jHDF for exactly the box (a hyperslab): for a
 * contiguous dataset jHDF reads only the box's rows from the file; for a chunked dataset it
 * decompresses only the chunks that intersect the box. Memory per read is the box's stored bytes
 * plus, for chunked data, the intersecting chunks. Not thread-safe; the caller closes it.
 */
final class Hdf5Volume implements VolumeSource {
    private final Path path;
    private final HdfFile file;
    private final DatasetBase dataset;
    private final ElementType type;
    private final VolumeShape shape;
    private boolean closed;

    Hdf5Volume(Path path, HdfFile file, DatasetBase dataset, ElementType type) {
        this.path = path;
        this.file = file;
        this.dataset = dataset;
        this.type = type;
        int[] dims = dataset.getDimensions();
        this.shape = new VolumeShape(dims[0], dims[1], dims[2]);
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

    /** @return the dataset's path inside the file, such as {@code /stack} */
    public String datasetPath() {
        return dataset.getPath();
    }

    @Override
    public void read(Box box, long[] target) {
        Checks.requireOpen(closed, path);
        Checks.requireReadable(box, target, shape, path);
        int[] dims = {(int) box.sizeZ(), (int) box.sizeY(), (int) box.sizeX()};
        if ((long) dims[0] * dims[1] * dims[2] * type.bytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read " + box + " of volume " + path + ": more than 2 GiB of "
                    + type.name() + " in one read; read smaller boxes");
        }
        ByteBuffer data;
        try {
            data = dataset.getSliceDataBuffer(new long[] {box.z0(), box.y0(), box.x0()}, dims);
        } catch (HdfException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new VolumeException("Cannot read " + box + " of volume " + path + " dataset " + dataset.getPath()
                    + ": " + e.getMessage(), e);
        }
        long expected = box.voxels() * type.bytes();
        if (data.remaining() != expected) {
            throw new VolumeException("Cannot read " + box + " of volume " + path + " dataset " + dataset.getPath()
                    + ": got " + data.remaining() + " bytes, expected " + expected);
        }
        Regions.copyBlock(data.slice(), type, new long[] {box.z0(), box.y0(), box.x0()}, dims, box, target, path);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }
}
