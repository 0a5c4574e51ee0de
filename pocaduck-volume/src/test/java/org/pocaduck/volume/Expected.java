package org.pocaduck.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.pocaduck.Labels;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;

/** The neuroproof volumes every reader must reproduce, and helpers to compare against them. */
final class Expected {
    private static final Map<String, RawLabelVolume> VOLUMES = new ConcurrentHashMap<>();

    private Expected() {
    }

    /** @param name gt_bodies, gt_supervoxels or overseg_supervoxels */
    static RawLabelVolume raw(String name) {
        return VOLUMES.computeIfAbsent(name,
                n -> RawLabelVolume.read(SharedData.resolve("neuroproof_ts2/" + n + ".u64.raw.gz")));
    }

    static LabelStats stats(String name) {
        return LabelStats.read(SharedData.resolve("neuroproof_ts2/" + name + ".label_stats.csv"));
    }

    /** Gunzips a shared-data file into a directory. */
    static Path gunzip(String relative, Path dir) {
        Path source = SharedData.resolve(relative);
        Path target = dir.resolve(source.getFileName().toString().replaceFirst("\\.gz$", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(source), 1 << 16)) {
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * Reads the whole volume in boxes of at most {@code step}^3 voxels (the last ones clipped).
     *
     * @return the labels in C order
     */
    static long[] readAll(VolumeSource volume, int stepZ, int stepY, int stepX) {
        VolumeShape shape = volume.shape();
        long[] all = new long[Math.toIntExact(shape.voxels())];
        long[] box = new long[stepZ * stepY * stepX];
        for (long z = 0; z < shape.z(); z += stepZ) {
            for (long y = 0; y < shape.y(); y += stepY) {
                for (long x = 0; x < shape.x(); x += stepX) {
                    Box b = new Box(z, y, x, Math.min(stepZ, shape.z() - z), Math.min(stepY, shape.y() - y),
                            Math.min(stepX, shape.x() - x));
                    volume.read(b, box);
                    int i = 0;
                    for (long bz = 0; bz < b.sizeZ(); bz++) {
                        for (long by = 0; by < b.sizeY(); by++) {
                            int at = Math.toIntExact(((z + bz) * shape.y() + (y + by)) * shape.x() + x);
                            System.arraycopy(box, i, all, at, (int) b.sizeX());
                            i += (int) b.sizeX();
                        }
                    }
                }
            }
        }
        return all;
    }

    /** Asserts two label arrays are equal, naming the first differing voxel. */
    static void assertSameLabels(long[] actual, RawLabelVolume expected, String what) {
        assertThat(actual.length).as(what + " voxels").isEqualTo(expected.labels().length);
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != expected.labels()[i]) {
                int x = i % expected.sizeX();
                int y = (i / expected.sizeX()) % expected.sizeY();
                int z = i / expected.sizeX() / expected.sizeY();
                throw new AssertionError(what + ": voxel (z, y, x) = (" + z + ", " + y + ", " + x + ") is "
                        + Labels.format(actual[i]) + ", expected " + Labels.format(expected.labels()[i]));
            }
        }
    }

    /**
     * Asserts each label's voxel count and number of 64^3 blocks (grid anchored at 0) equal a
     * label_stats.csv.
     */
    static void assertStats(long[] labels, VolumeShape shape, LabelStats stats) {
        Map<Long, long[]> counts = new HashMap<>();
        Map<Long, java.util.Set<Long>> blocks = new HashMap<>();
        int i = 0;
        for (long z = 0; z < shape.z(); z++) {
            for (long y = 0; y < shape.y(); y++) {
                for (long x = 0; x < shape.x(); x++, i++) {
                    long label = labels[i];
                    counts.computeIfAbsent(label, l -> new long[1])[0]++;
                    blocks.computeIfAbsent(label, l -> new java.util.HashSet<>())
                            .add(((z >> 6) << 40) | ((y >> 6) << 20) | (x >> 6));
                }
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(stats.byLabel().keySet());
        stats.byLabel().forEach((label, row) -> {
            assertThat(counts.get(label)[0]).as("voxel_count of " + Labels.format(label)).isEqualTo(row.voxelCount());
            assertThat((long) blocks.get(label).size()).as("blocks64 of " + Labels.format(label)).isEqualTo(row.blocks64());
        });
    }
}
