package org.pocaduck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.Timed;
import org.pocaduck.spi.BackendFactory;

/**
 * The checks the contract suites share ({@link BackendContractTest} for writable backends,
 * {@link ReadOnlyBackendContractTest} for read-only ones): what the read API promises of any
 * store, whoever wrote it. Each check asserts with AssertJ and names the label it was checking.
 * Stateless.
 */
public final class ContractChecks {
    private ContractChecks() {
    }

    /**
     * Asserts that a backend's factory is found by {@link ServiceLoader} (its services file was
     * generated) and that {@link PocaDuck#storageTypes()} lists it.
     *
     * @param storageType the backend's storage type
     */
    public static void assertFoundByServiceLoader(String storageType) {
        List<String> types = ServiceLoader.load(BackendFactory.class).stream()
                .map(p -> p.get().storageType()).toList();
        assertThat(types).contains(storageType);
        assertThat(PocaDuck.storageTypes()).contains(storageType);
    }

    /**
     * Asserts that two clouds hold the same points, repeats counted, in any order.
     *
     * @param actual what the store returned
     * @param expected what was written
     */
    public static void assertSameMultiset(PointCloud actual, PointCloud expected) {
        assertThat(actual.dimensions()).isEqualTo(expected.dimensions());
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.sorted()).isEqualTo(expected.sorted());
    }

    /**
     * Reads a label with {@link Query#streamPoints}, asserting that every chunk holds 1 to
     * {@code maxChunkPoints} points of the query's D.
     *
     * @param query the query
     * @param label a uint64 label
     * @param maxChunkPoints the chunk bound asked for
     * @return the chunks concatenated in arrival order, with the stream's timing
     */
    public static Timed<PointCloud> streamedPoints(Query query, long label, int maxChunkPoints) {
        int dimensions = dimensions(query);
        List<PointCloud> chunks = new ArrayList<>();
        try (PointChunks stream = query.streamPoints(label, maxChunkPoints)) {
            while (stream.hasNext()) {
                PointCloud chunk = stream.next();
                assertThat(chunk.size()).as("chunk size of label %s", Labels.format(label)).isBetween(1, maxChunkPoints);
                assertThat(chunk.dimensions()).isEqualTo(dimensions);
                chunks.add(chunk);
            }
            return new Timed<>(PointCloud.concat(dimensions, chunks), stream.timing());
        }
    }

    /**
     * Reads a label with {@link Query#streamBlocks}, asserting what it promises: every chunk
     * holds 1 to {@code maxChunkPoints} points of the query's D, a block's chunks come one after
     * another (a chunk never mixes blocks, a block never comes back), and blocks come in
     * {@link String#compareTo} order.
     *
     * @param query the query
     * @param label a uint64 label
     * @param maxChunkPoints the chunk bound asked for
     * @return each block's chunks concatenated, by block id in arrival order, with the stream's timing
     */
    public static Timed<Map<String, PointCloud>> streamedBlocks(Query query, long label, int maxChunkPoints) {
        int dimensions = dimensions(query);
        String name = "label " + Labels.format(label);
        Map<String, List<PointCloud>> chunks = new LinkedHashMap<>();
        String current = null;
        try (BlockChunks stream = query.streamBlocks(label, maxChunkPoints)) {
            while (stream.hasNext()) {
                BlockPoints chunk = stream.next();
                assertThat(chunk.points().size()).as("chunk size of %s", name).isBetween(1, maxChunkPoints);
                assertThat(chunk.points().dimensions()).isEqualTo(dimensions);
                if (!chunk.blockId().equals(current)) {
                    assertThat(chunks).as("%s: a block's chunks are consecutive", name)
                            .doesNotContainKey(chunk.blockId());
                    current = chunk.blockId();
                }
                chunks.computeIfAbsent(chunk.blockId(), b -> new ArrayList<>()).add(chunk.points());
            }
            assertThat(chunks.keySet()).as("%s: blocks in String.compareTo order", name)
                    .containsExactlyElementsOf(new TreeSet<>(chunks.keySet()));
            Map<String, PointCloud> blocks = new LinkedHashMap<>();
            chunks.forEach((block, parts) -> blocks.put(block, PointCloud.concat(dimensions, parts)));
            return new Timed<>(blocks, stream.timing());
        }
    }

    /**
     * Asserts that a label the store does not hold gives empty results from every read: no
     * points (with the store's D), no blocks, no chunks.
     *
     * @param query the query
     * @param label a uint64 label the store does not hold
     * @param dimensions the store's D
     */
    public static void assertUnknownLabelIsEmpty(Query query, long label, int dimensions) {
        String name = "unknown label " + Labels.format(label);
        assertThat(query.pointCount(label)).as(name).isZero();
        assertThat(query.blocks(label)).as(name).isEmpty();
        PointCloud points = query.points(label);
        assertThat(points.isEmpty()).as(name).isTrue();
        assertThat(points.dimensions()).as(name).isEqualTo(dimensions);
        try (PointChunks chunks = query.streamPoints(label, 5)) {
            assertThat(chunks.hasNext()).as(name).isFalse();
        }
        try (BlockChunks chunks = query.streamBlocks(label, 5)) {
            assertThat(chunks.hasNext()).as(name).isFalse();
            assertThat(chunks.timing().pointsReturned()).isZero();
        }
    }

    /**
     * Closes a query twice (idempotent) and asserts that every read then fails with
     * {@link IllegalStateException}.
     *
     * @param query an open query
     */
    public static void assertCloseIsIdempotentAndUseAfterCloseFails(Query query) {
        query.close();
        query.close();
        assertThatThrownBy(query::labels).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> query.points(1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> query.pointCount(1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> query.blocks(1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> query.streamPoints(1L, 5)).isInstanceOf(IllegalStateException.class);
    }

    private static int dimensions(Query query) {
        return query.schema().map(PointSchema::dimensions).orElse(3);
    }
}
