package org.pocaduck.python;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A label's index rows: where its points are, read from the indexes with no data file opened.
 *
 * @param optimized the optimizer's rows of the label (one per file holding it)
 * @param blockRows the unified (or worker) rows of the label (one per block and file)
 * @param blocksKnown whether the store's block ids are known (decided once at open)
 */
record LabelEntry(List<OptimizedRow> optimized, List<BlockRow> blockRows, boolean blocksKnown) {
    /** One row of the optimizer's index. */
    record OptimizedRow(String filePath, long pointCount) {
    }

    /** One row of a unified or worker index. */
    record BlockRow(String blockId, String filePath, long pointCount) {
    }

    /**
     * One block of the label.
     *
     * @param points its points by the index
     * @param files the files holding them, as the index names them
     */
    record Block(long points, Set<String> files) {
    }

    LabelEntry {
        optimized = List.copyOf(optimized);
        blockRows = List.copyOf(blockRows);
    }

    /** @return true if no index lists the label */
    boolean isEmpty() {
        return optimized.isEmpty() && blockRows.isEmpty();
    }

    /** @return true if the optimizer's index lists the label: its points are read from there */
    boolean inOptimized() {
        return !optimized.isEmpty();
    }

    /**
     * @return true if the label's blocks come from its unified rows: the store's blocks are
     *     known, or the optimizer's index does not list the label (then the unoptimized files are
     *     its only data)
     */
    boolean blocksFromIndex() {
        return !blockRows.isEmpty() && (blocksKnown || !inOptimized());
    }

    /** @return the optimizer's count if it lists the label, else the sum of the unified rows */
    long pointCount() {
        long sum = 0;
        if (inOptimized()) {
            for (OptimizedRow row : optimized) {
                sum += row.pointCount();
            }
        } else {
            for (BlockRow row : blockRows) {
                sum += row.pointCount();
            }
        }
        return sum;
    }

    /** @return the label's blocks by id, in {@link String#compareTo} order, from the unified rows */
    TreeMap<String, Block> blocks() {
        TreeMap<String, Block> blocks = new TreeMap<>();
        for (BlockRow row : blockRows) {
            blocks.merge(row.blockId(), new Block(row.pointCount(), Set.of(row.filePath())),
                    (a, b) -> {
                        Set<String> files = new LinkedHashSet<>(a.files());
                        files.addAll(b.files());
                        return new Block(a.points() + b.points(), files);
                    });
        }
        return blocks;
    }

    /**
     * @return the block ids queries report: the unified rows' ids when {@link #blocksFromIndex()},
     *     else {@link PythonStoreBackendFactory#UNKNOWN_BLOCK} for a label the optimizer lists,
     *     else none; sorted by {@link String#compareTo}
     */
    List<String> blockIds() {
        if (blocksFromIndex()) {
            return List.copyOf(blocks().keySet());
        }
        return inOptimized() ? List.of(PythonStoreBackendFactory.UNKNOWN_BLOCK) : List.of();
    }

    /**
     * @return the distinct files holding every point of the label, as the indexes name them: the
     *     optimizer's files if it lists the label, else the unoptimized files
     */
    List<String> pointFiles() {
        Set<String> files = new LinkedHashSet<>();
        if (inOptimized()) {
            optimized.forEach(row -> files.add(row.filePath()));
        } else {
            blockRows.forEach(row -> files.add(row.filePath()));
        }
        return new ArrayList<>(files);
    }
}
