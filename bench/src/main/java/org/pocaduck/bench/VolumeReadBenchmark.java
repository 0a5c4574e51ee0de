package org.pocaduck.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.Volumes;

/**
 * Read throughput of the volume-format readers (module {@code pocaduck-volume}, public API) on the
 * 250^3 copies of the neuroproof volumes in the shared data, in voxels per second: each
 * invocation reads the whole volume, in 64^3 boxes (the scan's block grid) or in 64-slice z
 * slabs of whole slices (what a scan reads). Nothing is written.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VolumeReadBenchmark {
    /** Every shared copy is 250^3 voxels. */
    static final int VOXELS = 250 * 250 * 250;

    /**
     * {@code hdf5}: groundtruth.h5 (int32, contiguous), gunzipped at setup; {@code zarr-v2}:
     * OME-Zarr gt_bodies scale 0 (uint8, Blosc lz4 + shuffle); {@code zarr-v3}: gt_supervoxels
     * (uint64, zstd); {@code tiff}: multi-page overseg_supervoxels.tif (uint16, deflate);
     * {@code image-stack}: overseg_supervoxels_png (uint16 PNG, one file per z).
     */
    @Param({"hdf5", "zarr-v2", "zarr-v3", "tiff", "image-stack"})
    public String format;

    /** {@code box}: 64^3 boxes; {@code slab}: 64 whole z slices at a time. */
    @Param({"box", "slab"})
    public String read;

    private Path temp;
    private VolumeSource volume;
    private long[] target;
    private int[] step;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        temp = Files.createTempDirectory("pocaduck-volume-bench");
        volume = Volumes.open(path(format, temp), Optional.empty(), Map.of());
        VolumeShape shape = volume.shape();
        step = read.equals("box") ? new int[] {64, 64, 64} : new int[] {64, (int) shape.y(), (int) shape.x()};
        target = new long[step[0] * step[1] * step[2]];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        volume.close();
        BenchData.delete(temp);
    }

    /** @return the sum of every label read, so that no read can be skipped */
    @Benchmark
    @OperationsPerInvocation(VOXELS)
    public long readWholeVolume() {
        VolumeShape shape = volume.shape();
        long sum = 0;
        for (long z = 0; z < shape.z(); z += step[0]) {
            for (long y = 0; y < shape.y(); y += step[1]) {
                for (long x = 0; x < shape.x(); x += step[2]) {
                    Box box = new Box(z, y, x, Math.min(step[0], shape.z() - z), Math.min(step[1], shape.y() - y),
                            Math.min(step[2], shape.x() - x));
                    volume.read(box, target);
                    for (int i = 0, n = (int) box.voxels(); i < n; i++) {
                        sum += target[i];
                    }
                }
            }
        }
        return sum;
    }

    /** The volume of a format: the shared copy, or for HDF5 the original gunzipped into {@code temp}. */
    static Path path(String format, Path temp) {
        return switch (format) {
            case "hdf5" -> gunzip(SharedData.resolve("neuroproof_ts2/original/groundtruth.h5.gz"), temp);
            case "zarr-v2" -> SharedData.resolve("formats/gt_bodies.ome.zarr");
            case "zarr-v3" -> SharedData.resolve("formats/gt_supervoxels.zarr");
            case "tiff" -> SharedData.resolve("formats/overseg_supervoxels.tif");
            case "image-stack" -> SharedData.resolve("formats/overseg_supervoxels_png");
            default -> throw new IllegalArgumentException("Cannot benchmark volume format " + format
                    + ": expected one of hdf5, zarr-v2, zarr-v3, tiff, image-stack");
        };
    }

    private static Path gunzip(Path source, Path dir) {
        Path target = dir.resolve(source.getFileName().toString().replaceFirst("\\.gz$", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(source), 1 << 16)) {
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot gunzip " + source + " into " + dir, e);
        }
        return target;
    }
}
