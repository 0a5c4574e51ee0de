package org.pocaduck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.options.Defaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pocaduck selftest}: checks an installation end to end with the tool's own commands. It
 * writes a {@link SyntheticVolume} (210 x 160 x 110 voxels, 315 cube-shaped labels spread over the
 * uint64 range, some cut by the volume's edge and most spanning several 64^3 blocks), runs
 * {@code scan} into a new store, then {@code labels}, {@code count}, {@code blocks} and
 * {@code points} on it, and compares every figure with the generator's exact ones. The launcher
 * {@code scripts/pocaduck} also runs it after each build as the training run of the JVM's
 * ahead-of-time cache.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Checks this installation: writes a synthetic label volume, scans it into a new store and "
                + "checks labels, point counts, blocks and points against their exact values.")
final class SelftestCommand implements Callable<Integer> {
    static final int SIZE_X = 210;
    static final int SIZE_Y = 160;
    static final int SIZE_Z = 110;
    private static final int BLOCK = 64;

    @Spec
    CommandSpec spec;

    @Option(names = "--storage-type", paramLabel = "TYPE",
            description = "Backend to check (default: " + Defaults.STORAGE_TYPE + ").")
    String storageType = Defaults.STORAGE_TYPE;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Write the volume and the store into DIR (created) and keep them; by default a temporary "
                    + "directory is used and removed.")
    Path keep;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing when every check passes.")
    boolean quiet;

    @Override
    public Integer call() {
        try {
            return selftest();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run selftest: " + e.getMessage(), e);
        }
    }

    private int selftest() throws IOException {
        long start = System.nanoTime();
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("pocaduck-selftest-");
        try {
            SyntheticVolume volume = new SyntheticVolume(SIZE_X, SIZE_Y, SIZE_Z);
            Path file = volume.write(dir, "selftest");
            String location = storageType.equals("memory") ? "selftest-" + UUID.randomUUID()
                    : dir.resolve("store").toString();
            String[] store = {"--storage-type", storageType, "--location", location};
            check(volume, file, store);
            if (!quiet) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("selftest passed: %s store, %d labels, %,d points, %d label-block pairs checked in %.1f s"
                        + "%n", storageType, volume.bodies().size(), volume.points(), pairs(volume),
                        (System.nanoTime() - start) / 1e9);
                if (keep != null) {
                    out.println("kept: volume " + file + ", store " + location);
                }
                out.flush();
            }
            return 0;
        } finally {
            if (keep == null) {
                deleteTree(dir);
            }
        }
    }

    private void check(SyntheticVolume volume, Path file, String[] store) throws IOException {
        JsonNode summary = new ObjectMapper().readTree(run(with(new String[] {"scan", file.toString(), "--json"},
                store)));
        expect("scan: labels", summary.path("labels").asLong(), volume.bodies().size());
        expect("scan: points", summary.path("points").asLong(), volume.points());
        expect("scan: label-block pairs", summary.path("label_block_pairs").asLong(), pairs(volume));

        List<String> labels = run(with(new String[] {"labels"}, store)).lines().toList();
        List<String> expected = Arrays.stream(volume.sortedLabels()).mapToObj(Labels::format).toList();
        if (!labels.equals(expected)) {
            throw new IllegalStateException("Cannot pass selftest: 'labels' printed " + labels.size()
                    + " labels that differ from the " + expected.size() + " written (first printed: "
                    + labels.stream().limit(3).toList() + ", expected " + expected.stream().limit(3).toList() + ")");
        }

        for (SyntheticVolume.Body body : sample(volume)) {
            String label = Labels.format(body.label());
            expect("count " + label, Long.parseLong(run(with(new String[] {"count", label}, store)).strip()),
                    body.voxels());
            Set<String> blocks = new TreeSet<>(run(with(new String[] {"blocks", label}, store)).lines().toList());
            if (!blocks.equals(body.blocks(BLOCK))) {
                throw new IllegalStateException("Cannot pass selftest: 'blocks " + label + "' printed " + blocks
                        + ", expected " + body.blocks(BLOCK));
            }
            List<String> rows = run(with(new String[] {"points", label, "--format", "csv"}, store)).lines().toList();
            if (rows.isEmpty() || !rows.getFirst().equals("x,y,z")) {
                throw new IllegalStateException("Cannot pass selftest: 'points " + label
                        + "' printed no x,y,z header");
            }
            long[] values = rows.stream().skip(1).flatMap(row -> Arrays.stream(row.split(",")))
                    .mapToLong(Long::parseLong).toArray();
            if (!PointCloud.wrap(values, 3).sorted().equals(PointCloud.wrap(body.points(), 3).sorted())) {
                throw new IllegalStateException("Cannot pass selftest: 'points " + label + "' printed "
                        + (rows.size() - 1) + " points that differ from the " + body.voxels() + " written");
            }
        }
    }

    /** The first body, the last (cut by the volume's edge), the first at 2^63 or above, and the largest block span. */
    private static List<SyntheticVolume.Body> sample(SyntheticVolume volume) {
        List<SyntheticVolume.Body> bodies = volume.bodies();
        Set<SyntheticVolume.Body> chosen = new LinkedHashSet<>();
        chosen.add(bodies.getFirst());
        chosen.add(bodies.getLast());
        bodies.stream().filter(b -> b.label() < 0).findFirst().ifPresent(chosen::add);
        bodies.stream().max(Comparator.comparingInt(b -> b.blocks(BLOCK).size())).ifPresent(chosen::add);
        return new ArrayList<>(chosen);
    }

    private static long pairs(SyntheticVolume volume) {
        return volume.bodies().stream().mapToLong(b -> b.blocks(BLOCK).size()).sum();
    }

    private static void expect(String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException("Cannot pass selftest: " + what + " is " + actual + ", expected "
                    + expected);
        }
    }

    private static String[] with(String[] command, String[] store) {
        String[] args = Arrays.copyOf(command, command.length + store.length);
        System.arraycopy(store, 0, args, command.length, store.length);
        return args;
    }

    /** Runs one command of this tool in this JVM and returns its standard output. */
    private static String run(String[] args) {
        Main.Captured run = Main.runCaptured(args);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("Cannot pass selftest: 'pocaduck " + String.join(" ", args)
                    + "' exited with " + run.exitCode() + ": " + run.err().strip());
        }
        return run.out();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove selftest directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
