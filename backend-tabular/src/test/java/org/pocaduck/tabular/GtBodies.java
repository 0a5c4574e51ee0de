package org.pocaduck.tabular;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;

/**
 * The neuroproof {@code gt_bodies} volume (250^3 voxels, 526 labels) scanned in 64^3 blocks
 * anchored at 0,0,0, block ids {@code bx_by_bz}, points (x, y, z) in volume coordinates: the scan
 * a cluster job does, for tests and the benchmark.
 */
final class GtBodies {
    static final int BLOCK = 64;
    /** The largest body: 3,702,057 voxels over 44 blocks. */
    static final long LARGEST = 114488L;

    private static RawLabelVolume volume;

    private GtBodies() {
    }

    static synchronized RawLabelVolume volume() {
        if (volume == null) {
            volume = RawLabelVolume.read(SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz"));
        }
        return volume;
    }

    static LabelStats stats() {
        return LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));
    }

    /** One block's points by label. */
    record Block(String id, int bz, Map<Long, PointCloud> clouds) {
    }

    /**
     * Scans the blocks whose z index is below {@code zBlocks} (all of them with a large value).
     *
     * @return the blocks in z, y, x order
     */
    static List<Block> scan(int zBlocks) {
        RawLabelVolume v = volume();
        List<Block> blocks = new ArrayList<>();
        for (int bz = 0; bz * BLOCK < v.sizeZ() && bz < zBlocks; bz++) {
            for (int by = 0; by * BLOCK < v.sizeY(); by++) {
                for (int bx = 0; bx * BLOCK < v.sizeX(); bx++) {
                    blocks.add(new Block(bx + "_" + by + "_" + bz, bz, scanBlock(v, bx, by, bz)));
                }
            }
        }
        return blocks;
    }

    private static Map<Long, PointCloud> scanBlock(RawLabelVolume v, int bx, int by, int bz) {
        int x0 = bx * BLOCK;
        int y0 = by * BLOCK;
        int z0 = bz * BLOCK;
        int x1 = Math.min(v.sizeX(), x0 + BLOCK);
        int y1 = Math.min(v.sizeY(), y0 + BLOCK);
        int z1 = Math.min(v.sizeZ(), z0 + BLOCK);
        Map<Long, int[]> counts = new HashMap<>();
        for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
                int row = (z * v.sizeY() + y) * v.sizeX();
                for (int x = x0; x < x1; x++) {
                    counts.computeIfAbsent(v.labels()[row + x], l -> new int[1])[0]++;
                }
            }
        }
        Map<Long, long[]> values = new HashMap<>();
        Map<Long, int[]> fill = new HashMap<>();
        counts.forEach((label, n) -> {
            values.put(label, new long[n[0] * 3]);
            fill.put(label, new int[1]);
        });
        for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
                int row = (z * v.sizeY() + y) * v.sizeX();
                for (int x = x0; x < x1; x++) {
                    long label = v.labels()[row + x];
                    long[] a = values.get(label);
                    int[] f = fill.get(label);
                    a[f[0]++] = x;
                    a[f[0]++] = y;
                    a[f[0]++] = z;
                }
            }
        }
        Map<Long, PointCloud> clouds = new LinkedHashMap<>();
        values.forEach((label, a) -> clouds.put(label, PointCloud.wrap(a, 3)));
        return clouds;
    }

    /**
     * Writes the blocks with {@code workers} workers (block z index modulo the count), commits them
     * and consolidates.
     *
     * @return the points written
     */
    static long ingest(Store store, List<Block> blocks, int workers) {
        long points = 0;
        for (int w = 0; w < workers; w++) {
            try (Ingestor ingestor = store.ingestor("scan-" + w)) {
                for (Block block : blocks) {
                    if (block.bz() % workers == w) {
                        for (Map.Entry<Long, PointCloud> e : block.clouds().entrySet()) {
                            ingestor.write(e.getKey(), block.id(), e.getValue());
                            points += e.getValue().size();
                        }
                    }
                }
                ingestor.commit();
            }
        }
        store.consolidate();
        return points;
    }

    /** Every voxel of one label in the scanned blocks, in block order. */
    static PointCloud pointsOf(List<Block> blocks, long label) {
        List<PointCloud> parts = new ArrayList<>();
        for (Block block : blocks) {
            PointCloud c = block.clouds().get(label);
            if (c != null) {
                parts.add(c);
            }
        }
        return PointCloud.concat(3, parts);
    }

    /** Expected counts and block counts of the scanned blocks, by label. */
    static Map<Long, long[]> countsOf(List<Block> blocks) {
        Map<Long, long[]> counts = new HashMap<>();
        for (Block block : blocks) {
            block.clouds().forEach((label, c) -> {
                long[] n = counts.computeIfAbsent(label, l -> new long[2]);
                n[0] += c.size();
                n[1]++;
            });
        }
        return counts;
    }

    /**
     * Scans {@code zBlocks} block layers into a fresh store, checks every label's count and block
     * count against the scan (and, for the whole volume, against {@code label_stats.csv}) and the
     * largest body's points exactly.
     */
    static void scanAndCheck(StorageConfig config, int zBlocks) {
        List<Block> blocks = scan(zBlocks);
        Map<Long, long[]> expected = countsOf(blocks);
        boolean whole = blocks.size() == 64;
        if (whole) {
            LabelStats stats = stats();
            assertThat(expected).hasSameSizeAs(stats.byLabel());
            stats.byLabel().values().forEach(row -> {
                assertThat(expected.get(row.label())[0]).as("scan count of %s", Labels.format(row.label()))
                        .isEqualTo(row.voxelCount());
                assertThat(expected.get(row.label())[1]).isEqualTo(row.blocks64());
            });
        }
        try (Store store = PocaDuck.open(config)) {
            long start = System.nanoTime();
            long points = ingest(store, blocks, 4);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("gt_bodies %s: %d blocks, %d points ingested in %.1f s (%.0f points/s)%n",
                    config.location(), blocks.size(), points, seconds, points / seconds);
            try (Query query = store.query()) {
                long[] labels = expected.keySet().stream().mapToLong(Long::longValue).toArray();
                Labels.sortUnsigned(labels);
                assertThat(query.labels()).containsExactly(labels);
                // Every label's count and block count in one pass over the label index.
                int n = 0;
                try (LabelSummaries summaries = query.labelSummaries()) {
                    while (summaries.hasNext()) {
                        LabelSummary summary = summaries.next();
                        assertThat(summary.label()).isEqualTo(labels[n++]);
                        long[] want = expected.get(summary.label());
                        assertThat(new long[] {summary.pointCount(), summary.blockCount()})
                                .as("points and blocks of %s", Labels.format(summary.label())).containsExactly(want);
                    }
                }
                assertThat(n).isEqualTo(labels.length);
                assertThat(query.stats().points()).isEqualTo(points);
                PointCloud largest = query.points(LARGEST);
                PointCloud want = pointsOf(blocks, LARGEST);
                if (whole) {
                    assertThat(largest.size()).isEqualTo(3_702_057);
                }
                assertThat(largest.size()).isEqualTo(want.size());
                assertThat(largest.sorted()).isEqualTo(want.sorted());
                assertThat(query.blocks(LARGEST)).hasSize((int) expected.get(LARGEST)[1]);
            }
        }
    }
}
