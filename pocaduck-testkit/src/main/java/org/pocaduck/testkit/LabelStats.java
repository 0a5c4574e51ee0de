package org.pocaduck.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pocaduck.Labels;

/**
 * A {@code *.label_stats.csv} sidecar of the shared data: one row per label with the exact
 * point count a full scan must return ({@code voxel_count}) and the number of 64^3 blocks
 * (grid anchored at 0,0,0) holding it ({@code blocks64}). Format: {@code shared/data/README.md}.
 *
 * @param byLabel rows by label, in unsigned label order
 */
public record LabelStats(Map<Long, Row> byLabel) {
    /**
     * One label's row.
     *
     * @param label the uint64 label
     * @param voxelCount its number of voxels
     * @param blocks64 its number of 64^3 blocks
     */
    public record Row(long label, long voxelCount, long blocks64) {
    }

    /** Reads a stats file. */
    public static LabelStats read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read label stats " + csv, e);
        }
        if (lines.isEmpty() || !lines.getFirst().startsWith("label,voxel_count,blocks64")) {
            throw new IllegalStateException("Cannot read label stats " + csv + ": unexpected header");
        }
        Map<Long, Row> rows = new TreeMap<>(Long::compareUnsigned);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            long label = Labels.parse(cells[0]);
            rows.put(label, new Row(label, Long.parseLong(cells[1]), Long.parseLong(cells[2])));
        }
        return new LabelStats(Collections.unmodifiableMap(rows));
    }

    /** @return the labels in unsigned order */
    public long[] labels() {
        return byLabel.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /** @return the sum of voxel counts */
    public long totalVoxels() {
        return byLabel.values().stream().mapToLong(Row::voxelCount).sum();
    }

    /** @return the sum of blocks64, the (label, 64^3 block) pairs of a full scan */
    public long totalLabelBlocks() {
        return byLabel.values().stream().mapToLong(Row::blocks64).sum();
    }
}
