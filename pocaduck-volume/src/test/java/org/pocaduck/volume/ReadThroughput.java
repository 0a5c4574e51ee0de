package org.pocaduck.volume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pocaduck.testkit.SharedData;

/**
 * Measures how fast each reader reads the same 250^3 volumes of the shared data, in 64^3 boxes
 * (the scan's block grid) and in 64-slice z slabs. A measurement tool, not a test: it asserts
 * nothing. Run it with the command in README.md "Volume formats". Prints one row per format and
 * box shape: the median of 5 timed passes after 2 warm-up passes, in million voxels per second.
 * An optional argument keeps only the volumes whose description starts with it ({@code zarr},
 * {@code hdf5}, ...).
 */
public final class ReadThroughput {
    private ReadThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("pocaduck-read-throughput");
        try {
            Map<String, Path> volumes = new LinkedHashMap<>();
            volumes.put("hdf5 groundtruth.h5 (int32, contiguous)",
                    Expected.gunzip("neuroproof_ts2/original/groundtruth.h5.gz", temp));
            volumes.put("zarr v2 OME-Zarr gt_bodies scale 0 (u8, blosc lz4 shuffle)",
                    SharedData.resolve("formats/gt_bodies.ome.zarr"));
            volumes.put("zarr v3 gt_supervoxels (uint64, zstd)", SharedData.resolve("formats/gt_supervoxels.zarr"));
            volumes.put("tiff overseg_supervoxels.tif (uint16, deflate)",
                    SharedData.resolve("formats/overseg_supervoxels.tif"));
            volumes.put("image-stack overseg_supervoxels_png (uint16 PNG)",
                    SharedData.resolve("formats/overseg_supervoxels_png"));
            System.out.printf("%-60s %-14s %10s%n", "volume", "boxes", "Mvoxel/s");
            for (Map.Entry<String, Path> entry : volumes.entrySet()) {
                if (args.length > 0 && !entry.getKey().startsWith(args[0])) {
                    continue;
                }
                for (int[] step : new int[][] {{64, 64, 64}, {64, 250, 250}}) {
                    try (VolumeSource volume = Volumes.open(entry.getValue(), Optional.empty(), Map.of())) {
                        double rate = measure(volume, step);
                        System.out.printf("%-60s %-14s %10.1f%n", entry.getKey(),
                                step[1] == 64 ? "64^3" : "64-slice slab", rate / 1e6);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(temp)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static double measure(VolumeSource volume, int[] step) {
        List<Double> rates = new ArrayList<>();
        long checksum = 0;
        for (int pass = 0; pass < 7; pass++) {
            long start = System.nanoTime();
            checksum += readAll(volume, step);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (pass >= 2) {
                rates.add(volume.shape().voxels() / seconds);
            }
        }
        if (checksum == 42) {
            System.out.println("(checksum " + checksum + ")");
        }
        double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static long readAll(VolumeSource volume, int[] step) {
        VolumeShape shape = volume.shape();
        long[] box = new long[step[0] * step[1] * step[2]];
        long sum = 0;
        for (long z = 0; z < shape.z(); z += step[0]) {
            for (long y = 0; y < shape.y(); y += step[1]) {
                for (long x = 0; x < shape.x(); x += step[2]) {
                    Box b = new Box(z, y, x, Math.min(step[0], shape.z() - z), Math.min(step[1], shape.y() - y),
                            Math.min(step[2], shape.x() - x));
                    volume.read(b, box);
                    sum += Arrays.stream(box, 0, (int) b.voxels()).sum();
                }
            }
        }
        return sum;
    }
}
