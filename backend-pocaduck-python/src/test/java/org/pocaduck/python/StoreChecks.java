package org.pocaduck.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.Timed;

/** Opens stores of this type and checks a query against expected clouds by label and block. */
final class StoreChecks {
    private StoreChecks() {
    }

    static StorageConfig config(Path root) {
        return StorageConfig.builder(PythonStoreBackendFactory.STORAGE_TYPE).location(root).build();
    }

    static Store open(Path root) {
        return PocaDuck.openExisting(config(root));
    }

    /**
     * Checks every label: the label list and summaries, point counts, points as multisets, and
     * either the expected blocks (block by block through streamBlocks and points(label, blocks))
     * or, if {@code blocksKnown} is false, the one block {@code unknown}.
     *
     * @param expected clouds by label (unsigned order), then block id
     */
    static void checkAll(Query query, Map<Long, Map<String, PointCloud>> expected, boolean blocksKnown) {
        assertThat(query.labels()).containsExactly(expected.keySet().stream().mapToLong(Long::longValue).toArray());
        assertThat(query.labelCount()).isEqualTo(expected.size());
        List<LabelSummary> summaries = new ArrayList<>();
        try (LabelSummaries stream = query.labelSummaries()) {
            stream.forEachRemaining(summaries::add);
            assertThat(stream.timing().backend()).isEqualTo(PythonStoreBackendFactory.STORAGE_TYPE);
        }
        long totalPoints = 0;
        long totalBlocks = 0;
        int i = 0;
        for (Map.Entry<Long, Map<String, PointCloud>> label : expected.entrySet()) {
            long id = label.getKey();
            String name = "label " + Labels.format(id);
            Map<String, PointCloud> blocks = blocksKnown ? label.getValue()
                    : Map.of(PythonStoreBackendFactory.UNKNOWN_BLOCK, concat(label.getValue()));
            PointCloud all = concat(label.getValue());
            totalPoints += all.size();
            totalBlocks += blocks.size();
            assertThat(summaries.get(i++)).as(name).isEqualTo(new LabelSummary(id, all.size(), blocks.size()));
            assertThat(query.pointCount(id)).as(name).isEqualTo(all.size());
            Timed<List<String>> blockIds = query.blocksTimed(id);
            assertThat(blockIds.result()).as(name).containsExactlyElementsOf(blocks.keySet());
            assertThat(blockIds.timing().backend()).isEqualTo(PythonStoreBackendFactory.STORAGE_TYPE);
            Timed<PointCloud> points = query.pointsTimed(id);
            assertThat(points.result().sorted()).as(name).isEqualTo(all.sorted());
            assertThat(points.timing().backend()).isEqualTo(PythonStoreBackendFactory.STORAGE_TYPE);
            assertThat(points.timing().pointsReturned()).isEqualTo(all.size());
            assertThat(streamedPoints(query, id, 10).sorted()).as(name).isEqualTo(all.sorted());
            checkBlocks(query, id, blocks);
        }
        assertThat(summaries).hasSize(expected.size());
        var stats = query.stats();
        assertThat(stats.labels()).isEqualTo(expected.size());
        assertThat(stats.points()).isEqualTo(totalPoints);
        assertThat(stats.labelBlockPairs()).isEqualTo(totalBlocks);
    }

    /** streamBlocks in String order, chunks of at most 7 points; points(label, {block}) per block. */
    static void checkBlocks(Query query, long label, Map<String, PointCloud> blocks) {
        String name = "label " + Labels.format(label);
        Map<String, List<PointCloud>> streamed = new java.util.LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        try (BlockChunks chunks = query.streamBlocks(label, 7)) {
            while (chunks.hasNext()) {
                BlockPoints chunk = chunks.next();
                assertThat(chunk.points().size()).isBetween(1, 7);
                if (order.isEmpty() || !order.getLast().equals(chunk.blockId())) {
                    assertThat(order).as(name + ": block %s arrives once", chunk.blockId())
                            .doesNotContain(chunk.blockId());
                    order.add(chunk.blockId());
                }
                streamed.computeIfAbsent(chunk.blockId(), b -> new ArrayList<>()).add(chunk.points());
            }
            assertThat(chunks.timing().backend()).isEqualTo(PythonStoreBackendFactory.STORAGE_TYPE);
        }
        assertThat(order).as(name).containsExactlyElementsOf(blocks.keySet()).isSorted();
        for (Map.Entry<String, PointCloud> block : blocks.entrySet()) {
            String where = name + " block " + block.getKey();
            PointCloud want = block.getValue().sorted();
            assertThat(PointCloud.concat(want.dimensions(), streamed.get(block.getKey())).sorted()).as(where)
                    .isEqualTo(want);
            assertThat(query.points(label, Set.of(block.getKey())).sorted()).as(where).isEqualTo(want);
        }
        assertThat(query.points(label, Set.of("no-such-block")).isEmpty()).isTrue();
    }

    static PointCloud streamedPoints(Query query, long label, int chunkPoints) {
        List<PointCloud> parts = new ArrayList<>();
        int dims = query.schema().orElseThrow().dimensions();
        try (PointChunks chunks = query.streamPoints(label, chunkPoints)) {
            while (chunks.hasNext()) {
                PointCloud chunk = chunks.next();
                assertThat(chunk.size()).isBetween(1, chunkPoints);
                parts.add(chunk);
            }
            assertThat(chunks.timing().backend()).isEqualTo(PythonStoreBackendFactory.STORAGE_TYPE);
        }
        return PointCloud.concat(dims, parts);
    }

    static PointCloud concat(Map<String, PointCloud> blocks) {
        return PointCloud.concat(blocks.values().iterator().next().dimensions(), new ArrayList<>(blocks.values()));
    }
}
