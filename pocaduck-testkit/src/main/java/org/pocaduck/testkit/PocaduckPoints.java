package org.pocaduck.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpzFile;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;

/**
 * The real per-label, per-block point clouds of {@code shared/data/pocaduck_points}, read from
 * the original numpy files {@code original/label_<label>/block_<block>.npz}, each a zip holding
 * {@code points.npy} of dtype {@code <i8}, shape (N, 4), C order, columns x, y, z,
 * supervoxel_id (read with the maintained {@code org.jetbrains.bio:npy} reader).
 *
 * @param clouds by label (unsigned order), then block id (sorted)
 */
public record PocaduckPoints(Map<Long, Map<String, PointCloud>> clouds) {
    /** Dimensions of every cloud: x, y, z, supervoxel_id. */
    public static final int DIMENSIONS = 4;

    /** Reads every {@code .npz} under {@code shared/data/pocaduck_points/original}. */
    public static PocaduckPoints load() {
        Path root = SharedData.resolve("pocaduck_points/original");
        Map<Long, Map<String, PointCloud>> clouds = new TreeMap<>(Long::compareUnsigned);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".npz")).sorted().toList()) {
                long label = Labels.parse(file.getParent().getFileName().toString().substring("label_".length()));
                String name = file.getFileName().toString();
                String block = name.substring("block_".length(), name.length() - ".npz".length());
                clouds.computeIfAbsent(label, l -> new TreeMap<>()).put(block, readNpz(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
        return new PocaduckPoints(clouds);
    }

    private static PointCloud readNpz(Path file) {
        try (NpzFile.Reader reader = NpzFile.read(file)) {
            NpyArray array = reader.get("points", 1 << 20);
            int[] shape = array.getShape();
            if (shape.length != 2 || shape[1] != DIMENSIONS) {
                throw new IllegalStateException("Cannot read " + file + ": points.npy has shape "
                        + java.util.Arrays.toString(shape) + ", expected (N, 4)");
            }
            return PointCloud.wrap(array.asLongArray(), DIMENSIONS);
        }
    }

    /** @return the labels in unsigned order */
    public long[] labels() {
        return clouds.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /** @return every block id, sorted */
    public List<String> blockIds() {
        TreeSet<String> ids = new TreeSet<>();
        clouds.values().forEach(m -> ids.addAll(m.keySet()));
        return List.copyOf(ids);
    }

    /** @return every point of a label, over its blocks */
    public PointCloud pointsOf(long label) {
        return PointCloud.concat(DIMENSIONS, new ArrayList<>(clouds.get(label).values()));
    }

    /** @return the number of points over all labels */
    public long totalPoints() {
        return clouds.values().stream().flatMap(m -> m.values().stream()).mapToLong(PointCloud::size).sum();
    }

    /** @return the number of (label, block) clouds */
    public long cloudCount() {
        return clouds.values().stream().mapToLong(Map::size).sum();
    }

    /**
     * The rows of {@code points.csv} (label, block_id, x, y, z, supervoxel_id), the same data in
     * text, used to cross-check the numpy reader.
     *
     * @return clouds by label and block, as {@link #clouds()}
     */
    public static Map<Long, Map<String, PointCloud>> readCsv() {
        Path csv = SharedData.resolve("pocaduck_points/points.csv");
        Map<Long, Map<String, List<long[]>>> rows = new TreeMap<>(Long::compareUnsigned);
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                rows.computeIfAbsent(Labels.parse(c[0]), l -> new TreeMap<>()).computeIfAbsent(c[1], b -> new ArrayList<>())
                        .add(new long[] {Long.parseLong(c[2]), Long.parseLong(c[3]), Long.parseLong(c[4]),
                            Long.parseLong(c[5])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + csv, e);
        }
        Map<Long, Map<String, PointCloud>> clouds = new TreeMap<>(Long::compareUnsigned);
        rows.forEach((label, blocks) -> blocks.forEach((block, list) -> clouds.computeIfAbsent(label, l -> new TreeMap<>())
                .put(block, PointCloud.ofRows(DIMENSIONS, list.toArray(long[][]::new)))));
        return clouds;
    }
}
