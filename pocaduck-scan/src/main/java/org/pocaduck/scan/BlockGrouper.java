package org.pocaduck.scan;

import java.util.Arrays;

/**
 * Groups the voxels of one block by label and builds each label's point cloud: the hot path of
 * {@code pocaduck scan}. Two passes over the block's labels: the first maps every label to a
 * dense id (a primitive open-addressing hash table, with a shortcut for runs of one label along
 * x, the common case in segmentations) and counts voxels per id; the second fills one exactly
 * sized N x D array per label with (x, y, z, attributes...) in C order of the block. No boxing,
 * no per-voxel allocation; the scratch arrays are reused from block to block.
 *
 * <p>Not thread-safe: one grouper per worker thread.
 */
final class BlockGrouper {
    /** Receives the clouds of one block. */
    interface CloudSink {
        /**
         * @param label the uint64 label
         * @param values N x D values, row-major (x, y, z, attributes...); ownership passes to the sink
         * @param dimensions D
         */
        void accept(long label, long[] values, int dimensions);
    }

    private int[] ids = new int[0];
    private int[] counts = new int[16];
    private long[] labelOf = new long[16];
    private long[][] arrays = new long[16][];
    private int[] fill = new int[16];
    private long[] keys = new long[64];
    private int[] slots = new int[64];
    private int[] stamps = new int[64];
    private int stamp;
    private int mask = 63;
    private int shift = 58;

    /**
     * Groups one block of a slab.
     *
     * @param slab labels of the slab, C order over (depth, sizeY, sizeX), x fastest
     * @param attributes attribute slabs laid out like {@code slab}, one per extra dimension
     * @param sizeY the slab's rows
     * @param sizeX the slab's columns
     * @param slabZ the global z of the slab's first slice
     * @param slabY the global y of the slab's first row
     * @param z0 first slice of the block inside the slab (slab coordinates)
     * @param y0 first row of the block inside the slab
     * @param x0 first column of the block (also its global x)
     * @param depth slices of the block inside the slab
     * @param height rows of the block
     * @param width columns of the block
     * @param keepBackground whether label 0 gets a cloud
     * @param sink receives one cloud per label, in order of first appearance
     * @return the number of voxels grouped into clouds (background excluded unless kept)
     */
    long group(long[] slab, long[][] attributes, int sizeY, int sizeX, long slabZ, long slabY, int z0, int y0,
            int x0, int depth, int height, int width, boolean keepBackground, CloudSink sink) {
        int voxels = depth * height * width;
        if (ids.length < voxels) {
            ids = new int[voxels];
        }
        newGeneration();
        int distinct = 0;
        int i = 0;
        long previous = 0;
        int previousId = -1;
        for (int z = z0; z < z0 + depth; z++) {
            for (int y = y0; y < y0 + height; y++) {
                int row = (z * sizeY + y) * sizeX + x0;
                for (int x = 0; x < width; x++) {
                    long label = slab[row + x];
                    int id;
                    if (label == previous && previousId >= 0) {
                        id = previousId;
                    } else {
                        id = find(label, distinct);
                        if (id == distinct) {
                            distinct++;
                        }
                        previous = label;
                        previousId = id;
                    }
                    ids[i++] = id;
                    counts[id]++;
                }
            }
        }
        int dimensions = 3 + attributes.length;
        long grouped = 0;
        for (int id = 0; id < distinct; id++) {
            if (labelOf[id] == 0 && !keepBackground) {
                arrays[id] = null;
            } else {
                arrays[id] = new long[counts[id] * dimensions];
                grouped += counts[id];
            }
            fill[id] = 0;
        }
        i = 0;
        for (int z = z0; z < z0 + depth; z++) {
            long globalZ = slabZ + z;
            for (int y = y0; y < y0 + height; y++) {
                long globalY = slabY + y;
                int row = (z * sizeY + y) * sizeX + x0;
                for (int x = 0; x < width; x++) {
                    int id = ids[i++];
                    long[] values = arrays[id];
                    if (values == null) {
                        continue;
                    }
                    int at = fill[id];
                    values[at] = x0 + x;
                    values[at + 1] = globalY;
                    values[at + 2] = globalZ;
                    for (int a = 0; a < attributes.length; a++) {
                        values[at + 3 + a] = attributes[a][row + x];
                    }
                    fill[id] = at + dimensions;
                }
            }
        }
        for (int id = 0; id < distinct; id++) {
            long[] values = arrays[id];
            arrays[id] = null;
            counts[id] = 0;
            if (values != null) {
                sink.accept(labelOf[id], values, dimensions);
            }
        }
        return grouped;
    }

    /** Returns the label's dense id, adding it as id {@code next} if new. */
    private int find(long label, int next) {
        int slot = (int) ((label * 0x9E3779B97F4A7C15L) >>> shift);
        while (stamps[slot] == stamp) {
            if (keys[slot] == label) {
                return slots[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (next * 2 >= mask) {
            grow(next);
            return find(label, next);
        }
        stamps[slot] = stamp;
        keys[slot] = label;
        slots[slot] = next;
        if (next == labelOf.length) {
            int size = next * 2;
            labelOf = Arrays.copyOf(labelOf, size);
            counts = Arrays.copyOf(counts, size);
            arrays = Arrays.copyOf(arrays, size);
            fill = Arrays.copyOf(fill, size);
        }
        labelOf[next] = label;
        return next;
    }

    private void grow(int entries) {
        int capacity = (mask + 1) * 2;
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        int[] oldStamps = stamps;
        int oldStamp = stamp;
        keys = new long[capacity];
        slots = new int[capacity];
        stamps = new int[capacity];
        stamp = 1;
        mask = capacity - 1;
        shift--;
        int moved = 0;
        for (int s = 0; s < oldKeys.length && moved < entries; s++) {
            if (oldStamps[s] == oldStamp) {
                int slot = (int) ((oldKeys[s] * 0x9E3779B97F4A7C15L) >>> shift);
                while (stamps[slot] == stamp) {
                    slot = (slot + 1) & mask;
                }
                stamps[slot] = stamp;
                keys[slot] = oldKeys[s];
                slots[slot] = oldSlots[s];
                moved++;
            }
        }
    }

    private void newGeneration() {
        stamp++;
        if (stamp == Integer.MAX_VALUE) {
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
    }
}
