package org.pocaduck.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PointServer} listens and what it sends to neuroglancer. Immutable and thread-safe.
 *
 * @param bind the address to listen on, such as {@code 127.0.0.1} (only this machine) or
 *     {@code 0.0.0.0} (every interface)
 * @param port the TCP port, 0 to 65535; 0 picks a free one ({@link PointServer#port()} tells which)
 * @param annotationLimit the most annotations one neuroglancer {@code rel_label} response (and the
 *     spatial overview) holds, at least 1: a label of more points is downsampled to the smallest
 *     scale that fits
 * @param segmentLimit the most labels the segment properties list, at least 1: the largest by
 *     point count
 * @param voxelSize the size of a voxel in nanometres (x, y, z), for neuroglancer's dimensions
 * @param neuroglancer a neuroglancer build ({@code dist/min} of the npm package, a directory
 *     holding {@code index.html}) to serve at {@code /ng/}, if any
 */
public record ServerSettings(String bind, int port, int annotationLimit, int segmentLimit, VoxelSize voxelSize,
        Optional<Path> neuroglancer) {
    /** The default annotation limit: 100,000 points (2 MB in the list encoding). */
    public static final int DEFAULT_ANNOTATION_LIMIT = 100_000;
    /** The default segment properties limit. */
    public static final int DEFAULT_SEGMENT_LIMIT = 100_000;

    /**
     * A voxel's size, in nanometres.
     *
     * @param x along x, above 0
     * @param y along y, above 0
     * @param z along z, above 0
     */
    public record VoxelSize(double x, double y, double z) {
        /** @throws IllegalArgumentException if a size is not a finite number above 0 */
        public VoxelSize {
            for (double size : new double[] {x, y, z}) {
                if (!(size > 0) || Double.isInfinite(size)) {
                    throw new IllegalArgumentException("Cannot use voxel size " + x + "," + y + "," + z
                            + " nm: each size must be a finite number above 0");
                }
            }
        }

        /**
         * @param text {@code X,Y,Z} or one size for all three, in nanometres
         * @throws IllegalArgumentException naming the text if it is not that
         */
        public static VoxelSize parse(String text) {
            String[] parts = text.split(",", -1);
            try {
                if (parts.length == 1) {
                    double size = Double.parseDouble(parts[0].strip());
                    return new VoxelSize(size, size, size);
                }
                if (parts.length == 3) {
                    return new VoxelSize(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()),
                            Double.parseDouble(parts[2].strip()));
                }
            } catch (NumberFormatException e) {
                // Reported below with the rule.
            }
            throw new IllegalArgumentException("Cannot use voxel size '" + text + "': give X,Y,Z or one size, in nm");
        }
    }

    /**
     * @throws IllegalArgumentException naming the value if a setting is out of range, or the
     *     neuroglancer directory has no {@code index.html}
     */
    public ServerSettings {
        Objects.requireNonNull(bind, "bind is null");
        Objects.requireNonNull(voxelSize, "voxelSize is null");
        Objects.requireNonNull(neuroglancer, "neuroglancer is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Cannot serve on port " + port + ": a port is 0 (any free one) to 65535");
        }
        if (annotationLimit < 1 || segmentLimit < 1) {
            throw new IllegalArgumentException("Cannot serve with annotation limit " + annotationLimit
                    + " and segment limit " + segmentLimit + ": both must be at least 1");
        }
        if (neuroglancer.isPresent() && !Files.isRegularFile(neuroglancer.get().resolve("index.html"))) {
            throw new IllegalArgumentException("Cannot serve neuroglancer from " + neuroglancer.get()
                    + ": it holds no index.html (give the dist/min directory of @janelia-flyem/neuroglancer; "
                    + "scripts/neuroglancer-bundle fetches it)");
        }
    }

    /** @return 127.0.0.1, port 8000, the default limits, 8 nm voxels, no neuroglancer */
    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", 8000, DEFAULT_ANNOTATION_LIMIT, DEFAULT_SEGMENT_LIMIT,
                new VoxelSize(8, 8, 8), Optional.empty());
    }

    /** @return these settings listening on {@code bindAddress}:{@code tcpPort} */
    public ServerSettings withAddress(String bindAddress, int tcpPort) {
        return new ServerSettings(bindAddress, tcpPort, annotationLimit, segmentLimit, voxelSize, neuroglancer);
    }

    /** @return these settings with other limits */
    public ServerSettings withLimits(int annotations, int segments) {
        return new ServerSettings(bind, port, annotations, segments, voxelSize, neuroglancer);
    }

    /** @return these settings with another voxel size */
    public ServerSettings withVoxelSize(VoxelSize size) {
        return new ServerSettings(bind, port, annotationLimit, segmentLimit, size, neuroglancer);
    }

    /** @return these settings serving the neuroglancer build in {@code directory} at /ng/ */
    public ServerSettings withNeuroglancer(Path directory) {
        return new ServerSettings(bind, port, annotationLimit, segmentLimit, voxelSize, Optional.of(directory));
    }
}
