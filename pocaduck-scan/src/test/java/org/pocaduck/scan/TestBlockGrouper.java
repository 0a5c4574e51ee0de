package org.pocaduck.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;

/**
 * The grouping at the heart of a scan, against a plain reference (a {@link LinkedHashMap} of
 * lists filled voxel by voxel): a hand-made slab with labels from 2^63 up crossing the block's
 * borders, background, attributes, a block of many colliding labels, and every block of a real
 * volume through one reused grouper.
 */
class TestBlockGrouper {
    private static final long A = Long.MIN_VALUE; // 2^63
    private static final long B = -1L; // 2^64-1
    private static final long C = 7L;

    /** Two slices of 3 rows of 5 voxels (z, y, x); the block is z 0-1, y 1-2, x 1-3. */
    private static final long[] SLAB = {
        9, 9, 9, 9, 9,
        9, A, A, 0, B,
        9, A, 0, 0, B,

        9, 9, 9, 9, 9,
        9, B, B, B, B,
        9, C, A, 0, B,
    };

    /** What a sink receives, in order; fails if a label comes twice for one block. */
    private static final class Collected implements BlockGrouper.CloudSink {
        final Map<Long, long[]> clouds = new LinkedHashMap<>();
        int dimensions;

        @Override
        public void accept(long label, long[] values, int dimensions) {
            this.dimensions = dimensions;
            assertThat(clouds.put(label, values)).as("label %s given once", Long.toUnsignedString(label)).isNull();
        }
    }

    @Test
    void aBlockOfAHandMadeSlabGivesEachLabelItsVoxelsInGlobalCoordinatesSkippingBackground() {
        Collected sink = new Collected();
        // The slab starts at global z 10, y 20; the block covers slab rows 1-2 and columns 1-3.
        long grouped = new BlockGrouper().group(SLAB, new long[0][], 3, 5, 10, 20, 0, 1, 1, 2, 2, 3, false, sink);
        assertThat(grouped).isEqualTo(8);
        assertThat(sink.dimensions).isEqualTo(3);
        assertThat(sink.clouds.keySet()).as("in order of first appearance, background left out")
                .containsExactly(A, B, C);
        assertThat(sink.clouds.get(A)).containsExactly(1, 21, 10, 2, 21, 10, 1, 22, 10, 2, 22, 11);
        assertThat(sink.clouds.get(B)).containsExactly(1, 21, 11, 2, 21, 11, 3, 21, 11);
        assertThat(sink.clouds.get(C)).containsExactly(1, 22, 11);
    }

    @Test
    void keptBackgroundAndAttributesComeWithEveryPoint() {
        long[] attribute = new long[SLAB.length];
        for (int i = 0; i < attribute.length; i++) {
            attribute[i] = 1000L * (i / 15) + 100L * (i / 5 % 3) + i % 5; // zyx of the voxel in the slab
        }
        Collected sink = new Collected();
        long grouped = new BlockGrouper().group(SLAB, new long[][] {attribute}, 3, 5, 10, 20, 0, 1, 1, 2, 2, 3, true,
                sink);
        assertThat(grouped).isEqualTo(12);
        assertThat(sink.dimensions).isEqualTo(4);
        assertThat(sink.clouds.keySet()).containsExactly(A, 0L, B, C);
        assertThat(sink.clouds.get(0L)).containsExactly(3, 21, 10, 103, 2, 22, 10, 202, 3, 22, 10, 203, 3, 22, 11, 1203);
        assertThat(sink.clouds.get(A)).containsExactly(1, 21, 10, 101, 2, 21, 10, 102, 1, 22, 10, 201, 2, 22, 11, 1202);
        assertThat(sink.clouds.get(C)).containsExactly(1, 22, 11, 1201);
    }

    @Test
    void thousandsOfLabelsThatCollideInTheHashTableKeepTheirOwnVoxels() {
        // Labels differing only in their top bits fill the same slots of the open-addressing
        // table; with thousands of others it grows several times within one block.
        int sizeX = 40;
        int sizeY = 40;
        int depth = 10;
        long[] slab = new long[depth * sizeY * sizeX];
        SplittableRandom random = new SplittableRandom(25);
        for (int i = 0; i < slab.length; i++) {
            slab[i] = switch (random.nextInt(4)) {
                case 0 -> (long) random.nextInt(64) << 58;
                case 1 -> Long.MIN_VALUE + random.nextInt(3000);
                case 2 -> random.nextLong();
                default -> i > 0 ? slab[i - 1] : 0; // runs along x
            };
        }
        BlockGrouper grouper = new BlockGrouper();
        Collected sink = new Collected();
        long grouped = grouper.group(slab, new long[0][], sizeY, sizeX, 0, 0, 0, 0, 0, depth, sizeY, sizeX, true, sink);
        Map<Long, long[]> expected = reference(slab, sizeY, sizeX, 0, 0, 0, 0, 0, depth, sizeY, sizeX, true);
        assertThat(expected).hasSizeGreaterThan(5000);
        assertThat(grouped).isEqualTo(slab.length);
        assertSameClouds(sink.clouds, expected);
    }

    @Test
    void oneGrouperOverEveryBlockOfARealVolumeEqualsTheReference() {
        RawLabelVolume volume = RawLabelVolume.read(SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz"));
        BlockGrouper grouper = new BlockGrouper();
        int blocks = 0;
        long points = 0;
        // Blocks of 16 x 24 x 20 (x, y, z): the edge blocks are cut by the volume's border.
        for (int z0 = 0; z0 < 64; z0 += 20) {
            for (int y0 = 0; y0 < 64; y0 += 24) {
                for (int x0 = 0; x0 < 64; x0 += 16) {
                    int depth = Math.min(20, 64 - z0);
                    int height = Math.min(24, 64 - y0);
                    int width = Math.min(16, 64 - x0);
                    Collected sink = new Collected();
                    points += grouper.group(volume.labels(), new long[0][], 64, 64, 0, 0, z0, y0, x0, depth, height,
                            width, false, sink);
                    assertSameClouds(sink.clouds, reference(volume.labels(), 64, 64, 0, 0, z0, y0, x0, depth, height,
                            width, false));
                    blocks++;
                }
            }
        }
        assertThat(blocks).isEqualTo(4 * 3 * 4);
        long background = java.util.Arrays.stream(volume.labels()).filter(l -> l == 0).count();
        assertThat(points).isEqualTo(64L * 64 * 64 - background);
    }

    private static void assertSameClouds(Map<Long, long[]> actual, Map<Long, long[]> expected) {
        assertThat(new ArrayList<>(actual.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        expected.forEach((label, values) -> assertThat(actual.get(label))
                .as("points of %s", Long.toUnsignedString(label)).containsExactly(values));
    }

    /** The block's clouds the plain way: labels in order of first appearance, points in C order. */
    private static Map<Long, long[]> reference(long[] slab, int sizeY, int sizeX, long slabZ, long slabY, int z0,
            int y0, int x0, int depth, int height, int width, boolean keepBackground) {
        Map<Long, List<Long>> lists = new LinkedHashMap<>();
        for (int z = z0; z < z0 + depth; z++) {
            for (int y = y0; y < y0 + height; y++) {
                for (int x = x0; x < x0 + width; x++) {
                    long label = slab[(z * sizeY + y) * sizeX + x];
                    if (label != 0 || keepBackground) {
                        lists.computeIfAbsent(label, l -> new ArrayList<>()).addAll(List.of((long) x, slabY + y,
                                slabZ + z));
                    }
                }
            }
        }
        Map<Long, long[]> clouds = new LinkedHashMap<>();
        lists.forEach((label, values) -> clouds.put(label, values.stream().mapToLong(Long::longValue).toArray()));
        return clouds;
    }
}
