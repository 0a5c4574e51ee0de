package org.pocaduck.volume.hdf5;

import com.google.auto.service.AutoService;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FixedPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeFormat;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;
import org.pocaduck.volume.internal.Detection;
import org.pocaduck.volume.internal.ElementType;

/**
 * HDF5 files ({@code hdf5}): one 3D integer dataset, axes z, y, x (C order, x fastest), element
 * type int8..int64 or uint8..uint64 in either byte order; contiguous, chunked and compressed
 * (gzip, lzf, ...) layouts, read with the pure-Java jHDF library.
 *
 * <p>Options: {@code dataset} - the dataset's path in the file; default {@code /stack} if it
 * exists, else the file's only 3D dataset.
 *
 * <p>Recognises regular files named {@code *.h5}, {@code *.hdf5}, {@code *.hdf} or
 * {@code *.he5}, or starting with the HDF5 signature (HDF5 File Format Specification, "Format
 * Signature", {@code \211HDF\r\n\032\n} at offset 0). A gzipped {@code .h5.gz} file is recognised
 * but not read (HDF5 needs random access): opening it fails saying to gunzip it first.
 * Thread-safe.
 */
@AutoService(VolumeFormat.class)
public final class Hdf5Format implements VolumeFormat {
    /** The format's name. */
    public static final String NAME = "hdf5";
    /** The option naming the dataset. */
    public static final String DATASET = "dataset";
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognizes(Path path) {
        return Detection.regularFileMatches(path, List.of(".h5", ".hdf5", ".hdf", ".he5", ".h5.gz", ".hdf5.gz"),
                List.of(SIGNATURE));
    }

    /**
     * Opens a dataset.
     *
     * @throws VolumeException if the file is not HDF5, the dataset is missing, not 3D or not of an
     *     integer type, or an option is unknown
     */
    @Override
    public VolumeSource open(Path path, Map<String, String> options) {
        Objects.requireNonNull(path, "path is null");
        Checks.requireKnownOptions(options, Set.of(DATASET), NAME, path);
        if (Detection.regularFileMatches(path, List.of(), List.of(GZIP))) {
            throw new VolumeException("Cannot open volume " + path + " as HDF5: it is gzip-compressed, and HDF5 is read"
                    + " by random access; gunzip it first");
        }
        HdfFile file;
        try {
            file = new HdfFile(path);
        } catch (HdfException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new VolumeException("Cannot open volume " + path + " as HDF5: " + e.getMessage(), e);
        }
        try {
            Dataset dataset = chooseDataset(file, path, options.get(DATASET));
            int[] dims = dataset.getDimensions();
            if (dims.length != 3) {
                throw new VolumeException("Cannot open volume " + path + " dataset " + dataset.getPath() + ": it has "
                        + dims.length + " dimensions " + Arrays.toString(dims) + ", a label volume has 3 (z, y, x)");
            }
            if (!(dataset.getDataType() instanceof FixedPoint type)) {
                throw new VolumeException("Cannot open volume " + path + " dataset " + dataset.getPath()
                        + ": unsupported element type " + dataset.getJavaType().getSimpleName()
                        + "; labels need an integer type (int8..int64, uint8..uint64)");
            }
            int bytes = type.getSize();
            if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
                throw new VolumeException("Cannot open volume " + path + " dataset " + dataset.getPath()
                        + ": unsupported integer size of " + bytes + " bytes");
            }
            if (!(dataset instanceof DatasetBase base)) {
                throw new VolumeException("Cannot open volume " + path + " dataset " + dataset.getPath()
                        + ": unsupported dataset kind " + dataset.getClass().getSimpleName());
            }
            return new Hdf5Volume(path, file, base, new ElementType(bytes, type.isSigned(), type.getByteOrder()));
        } catch (HdfException e) {
            file.close();
            throw new VolumeException("Cannot open volume " + path + " as HDF5: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static Dataset chooseDataset(HdfFile file, Path path, String requested) {
        if (requested != null) {
            Node node;
            try {
                node = file.getByPath(requested);
            } catch (HdfException e) {
                throw new VolumeException("Cannot open volume " + path + ": no dataset " + requested + "; 3D datasets: "
                        + datasets3d(file), e);
            }
            if (!(node instanceof Dataset dataset)) {
                throw new VolumeException("Cannot open volume " + path + ": " + requested + " is not a dataset");
            }
            return dataset;
        }
        if (file.getChildren().get("stack") instanceof Dataset stack) {
            return stack;
        }
        List<Dataset> candidates = new ArrayList<>();
        collect3d(file, candidates);
        if (candidates.size() != 1) {
            throw new VolumeException("Cannot open volume " + path + ": no /stack dataset and "
                    + (candidates.isEmpty() ? "no 3D dataset" : candidates.size() + " 3D datasets "
                    + candidates.stream().map(Dataset::getPath).toList())
                    + "; choose one with option dataset=<path>");
        }
        return candidates.getFirst();
    }

    private static List<String> datasets3d(HdfFile file) {
        List<Dataset> all = new ArrayList<>();
        collect3d(file, all);
        return all.stream().map(Dataset::getPath).toList();
    }

    private static void collect3d(Group group, List<Dataset> into) {
        for (Node child : group) {
            if (child instanceof Dataset dataset && dataset.getDimensions().length == 3) {
                into.add(dataset);
            } else if (child instanceof Group sub && !child.isLink()) {
                collect3d(sub, into);
            }
        }
    }
}
