package org.pocaduck.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

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

    /**
     * @return every label summary of a store's consolidated index, in unsigned label order (one
     *     pass over {@code labelSummaries()})
     */
    public static List<LabelSummary> summariesOf(StorageConfig config) {
        List<LabelSummary> list = new ArrayList<>();
        try (Store store = PocaDuck.openExisting(config); Query query = store.query();
                LabelSummaries summaries = query.labelSummaries()) {
            summaries.forEachRemaining(list::add);
        }
        return list;
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

    /**
     * Compares a store's label summaries with these rows in one pass over both (each in unsigned
     * label order): every label, its point count against {@code voxel_count} and its block count
     * against {@code blocks64} (so the store must have been written in 64^3 blocks).
     *
     * @param summaries the store's summaries, consumed
     * @param withBackground false if label 0 (background) was skipped when the store was written
     * @return one line per difference, at most 20 (then a count of the rest); empty if equal
     */
    public List<String> differences(Iterator<LabelSummary> summaries, boolean withBackground) {
        List<String> out = new ArrayList<>();
        long more = 0;
        Iterator<Row> expected = byLabel.values().stream().filter(r -> withBackground || r.label() != 0).iterator();
        Row want = expected.hasNext() ? expected.next() : null;
        LabelSummary got = summaries.hasNext() ? summaries.next() : null;
        while (want != null || got != null) {
            String difference = null;
            int order = want == null ? 1 : got == null ? -1 : Long.compareUnsigned(want.label(), got.label());
            if (order < 0) {
                difference = "label " + Labels.format(want.label()) + " is missing";
            } else if (order > 0) {
                difference = "label " + Labels.format(got.label()) + " is not expected";
            } else if (want.voxelCount() != got.pointCount() || want.blocks64() != got.blockCount()) {
                difference = "label " + Labels.format(want.label()) + " has " + got.pointCount() + " points in "
                        + got.blockCount() + " blocks, expected " + want.voxelCount() + " in " + want.blocks64();
            }
            if (difference != null) {
                if (out.size() < 20) {
                    out.add(difference);
                } else {
                    more++;
                }
            }
            if (order <= 0) {
                want = expected.hasNext() ? expected.next() : null;
            }
            if (order >= 0) {
                got = summaries.hasNext() ? summaries.next() : null;
            }
        }
        if (more > 0) {
            out.add("... and " + more + " more differences");
        }
        return out;
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
