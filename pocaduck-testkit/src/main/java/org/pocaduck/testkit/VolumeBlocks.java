package org.pocaduck.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pocaduck.Ingestor;
import org.pocaduck.PointCloud;

/**
 * Cuts a label volume into 64^3 blocks (grid anchored at 0,0,0) and hands each block's point
 * clouds to a worker, as a blockwise scan would: block id {@code bx_by_bz}, points (x, y, z) in
 * global voxel coordinates, every label including 0. Used by backend tests and benchmarks to
 * measure writing apart from scanning. Not thread-safe to build; the result is read-only.
 */
public final class VolumeBlocks {
    /** Edge of a block in voxels. */
    public static final int BLOCK = 64;

    /**
     * One block's clouds.
     *
     * @param index position of the block in (bz, by, bx) order
     * @param id block id {@code bx_by_bz}
     * @param clouds N x 3 clouds (x, y, z) by label; callers must not modify them
     */
    public record Block(int index, String id, Map<Long, PointCloud> clouds) {
    }

    private VolumeBlocks() {
    }

    /** @return every block in (bz, by, bx) order, each with its label clouds */
    public static List<Block> blocks(RawLabelVolume volume) {
        return blocks(volume, Integer.MAX_VALUE);
    }

    /** @return the first {@code limit} blocks in (bz, by, bx) order (only those are cut) */
    public static List<Block> blocks(RawLabelVolume volume, int limit) {
        List<Block> blocks = new ArrayList<>();
        int nz = (volume.sizeZ() + BLOCK - 1) / BLOCK;
        int ny = (volume.sizeY() + BLOCK - 1) / BLOCK;
        int nx = (volume.sizeX() + BLOCK - 1) / BLOCK;
        int index = 0;
        for (int bz = 0; bz < nz; bz++) {
            for (int by = 0; by < ny; by++) {
                for (int bx = 0; bx < nx && index < limit; bx++) {
                    blocks.add(new Block(index++, bx + "_" + by + "_" + bz, cut(volume, bx, by, bz)));
                }
            }
        }
        return blocks;
    }

    private static Map<Long, PointCloud> cut(RawLabelVolume volume, int bx, int by, int bz) {
        Map<Long, long[]> values = new HashMap<>();
        Map<Long, int[]> fill = new HashMap<>();
        long[] labels = volume.labels();
        int sx = volume.sizeX();
        int sy = volume.sizeY();
        for (int z = bz * BLOCK; z < Math.min(volume.sizeZ(), (bz + 1) * BLOCK); z++) {
            for (int y = by * BLOCK; y < Math.min(sy, (by + 1) * BLOCK); y++) {
                int row = (z * sy + y) * sx;
                for (int x = bx * BLOCK; x < Math.min(sx, (bx + 1) * BLOCK); x++) {
                    long label = labels[row + x];
                    long[] v = values.get(label);
                    int[] f;
                    if (v == null) {
                        v = new long[48];
                        values.put(label, v);
                        f = new int[1];
                        fill.put(label, f);
                    } else {
                        f = fill.get(label);
                        if (f[0] + 3 > v.length) {
                            v = Arrays.copyOf(v, v.length * 2);
                            values.put(label, v);
                        }
                    }
                    v[f[0]++] = x;
                    v[f[0]++] = y;
                    v[f[0]++] = z;
                }
            }
        }
        Map<Long, PointCloud> clouds = new HashMap<>();
        values.forEach((label, v) -> clouds.put(label, PointCloud.wrap(Arrays.copyOf(v, fill.get(label)[0]), 3)));
        return clouds;
    }

    /**
     * Writes the blocks whose index is {@code worker} modulo {@code workers}.
     *
     * @return the number of points written
     */
    public static long write(Ingestor ingestor, List<Block> blocks, int worker, int workers) {
        long points = 0;
        for (Block block : blocks) {
            if (block.index() % workers == worker) {
                for (Map.Entry<Long, PointCloud> e : block.clouds().entrySet()) {
                    ingestor.write(e.getKey(), block.id(), e.getValue());
                    points += e.getValue().size();
                }
            }
        }
        return points;
    }
}
