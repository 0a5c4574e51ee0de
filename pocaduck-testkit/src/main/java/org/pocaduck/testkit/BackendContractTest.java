package org.pocaduck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pocaduck.testkit.ContractChecks.assertSameMultiset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.Box;
import org.pocaduck.Capability;
import org.pocaduck.ConfigurationException;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.ReadOption;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.WorkerBusyException;

/**
 * The backend contract: every backend module extends this suite in a test class and must pass
 * it whole. Written against the public API only, on the real data of {@code shared/data}.
 *
 * <p>A subclass says how to configure a fresh, empty store; everything else is common. Data is
 * visible to queries after the ingestor is closed and the store consolidated: that is what this
 * suite relies on, so backends that show data earlier pass too.
 */
public abstract class BackendContractTest {
    /** 2^63, carried as {@link Long#MIN_VALUE}. */
    protected static final long TWO_POW_63 = Long.MIN_VALUE;
    /** 2^64-1, carried as -1. */
    protected static final long MAX_LABEL = -1L;

    @TempDir
    protected Path tempDir;

    private int storeCounter;

    /** @return the storage type under test */
    protected abstract String storageType();

    /**
     * Configures a new, empty store.
     *
     * @param directory a fresh empty directory the backend may use for its files
     * @return a builder with storage type and location set, plus any options the backend needs
     */
    protected abstract StorageConfig.Builder newStoreConfig(Path directory);

    /**
     * An option the backend requires, to test the error when it is missing; empty if the backend
     * requires none beyond the location.
     */
    protected java.util.Optional<String> requiredOptionKey() {
        return java.util.Optional.empty();
    }

    // ---- helpers ----

    /** @return a config of a fresh, empty store */
    protected StorageConfig freshConfig() {
        Path dir = tempDir.resolve("store-" + (++storeCounter));
        return newStoreConfig(dir).build();
    }

    /** Writes clouds by (label, block) with one worker per map, closes them and consolidates. */
    protected static void writeWorkers(Store store, Map<String, Map<Long, Map<String, PointCloud>>> byWorker) {
        byWorker.forEach((worker, clouds) -> {
            try (Ingestor ingestor = store.ingestor(worker)) {
                clouds.forEach((label, blocks) -> blocks.forEach((block, cloud) -> ingestor.write(label, block, cloud)));
                ingestor.commit();
            }
        });
        store.consolidate();
    }

    private static PointCloud cloud(int dims, long... values) {
        return PointCloud.copyOf(values, dims);
    }

    private static Map<Long, Map<String, PointCloud>> one(long label, String block, PointCloud cloud) {
        Map<Long, Map<String, PointCloud>> m = new LinkedHashMap<>();
        m.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud);
        return m;
    }

    /** Asserts that a store's every query result equals the expected clouds. */
    protected static void assertStoreHolds(Query query, Map<Long, List<PointCloud>> expected, Map<Long, List<String>> blocks) {
        long[] labels = expected.keySet().stream().mapToLong(Long::longValue).toArray();
        Labels.sortUnsigned(labels);
        assertThat(query.labels()).containsExactly(labels);
        for (Map.Entry<Long, List<PointCloud>> e : expected.entrySet()) {
            int dims = e.getValue().getFirst().dimensions();
            PointCloud want = PointCloud.concat(dims, e.getValue());
            assertThat(query.pointCount(e.getKey())).as("point count of %s", Labels.format(e.getKey()))
                    .isEqualTo(want.size());
            assertSameMultiset(query.points(e.getKey()), want);
            assertThat(query.blocks(e.getKey())).as("blocks of %s", Labels.format(e.getKey()))
                    .containsExactlyElementsOf(blocks.get(e.getKey()));
        }
    }

    // ---- discovery and configuration ----

    @Test
    void backendIsFoundThroughServiceLoaderByItsStorageType() {
        ContractChecks.assertFoundByServiceLoader(storageType());
        try (Store store = PocaDuck.open(freshConfig())) {
            assertThat(store.storageType()).isEqualTo(storageType());
        }
    }

    @Test
    void unknownStorageTypeFailsListingTheAvailableOnes() {
        StorageConfig config = StorageConfig.builder("no-such-backend").location("x").build();
        assertThatThrownBy(() -> PocaDuck.open(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown storage type 'no-such-backend'")
                .hasMessageContaining(storageType());
    }

    @Test
    void missingLocationFailsNamingTheKey() {
        assertThatThrownBy(() -> StorageConfig.builder(storageType()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'location'");
        assertThatThrownBy(() -> StorageConfig.fromMap(Map.of("storage_type", storageType())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'location'");
    }

    @Test
    void missingRequiredBackendOptionFailsNamingTheKey() {
        java.util.Optional<String> key = requiredOptionKey();
        if (key.isEmpty()) {
            // The backend's only required setting is the location, covered above; the generic
            // rule still applies: a missing storage type is named.
            assertThatThrownBy(() -> StorageConfig.fromMap(Map.of("location", "x")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'storage_type'");
            return;
        }
        StorageConfig full = freshConfig();
        Map<String, String> entries = new HashMap<>();
        full.toProperties().forEach((k, v) -> entries.put((String) k, (String) v));
        entries.remove(key.get());
        StorageConfig missing = StorageConfig.fromMap(entries);
        assertThatThrownBy(() -> PocaDuck.open(missing))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + key.get() + "'");
    }

    @Test
    void unknownOptionFailsNamingTheKey() {
        StorageConfig config = freshConfig().toBuilder().option("no_such_option", "1").build();
        assertThatThrownBy(() -> PocaDuck.open(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'no_such_option'");
    }

    @Test
    void openExistingFailsWhereNoStoreExists() {
        assertThatThrownBy(() -> PocaDuck.openExisting(freshConfig()))
                .isInstanceOf(StoreNotFoundException.class);
    }

    // ---- real data ----

    @Test
    void pocaduckPointsNpzFilesMatchTheirCsv() {
        PocaduckPoints points = PocaduckPoints.load();
        assertThat(points.totalPoints()).isEqualTo(787);
        assertThat(points.labels()).hasSize(6);
        assertThat(points.blockIds()).hasSize(35);
        assertThat(points.cloudCount()).isEqualTo(49);
        assertThat(points.clouds()).isEqualTo(PocaduckPoints.readCsv());
    }

    @ParameterizedTest(name = "split by {0}")
    @ValueSource(strings = {"disjoint blocks", "shared blocks"})
    void pocaduckPointsRoundTripOverTwoWorkers(String split) {
        PocaduckPoints data = PocaduckPoints.load();
        List<String> blockIds = data.blockIds();
        Map<String, Map<Long, Map<String, PointCloud>>> byWorker = new LinkedHashMap<>();
        Map<Long, Map<String, PointCloud>> first = new LinkedHashMap<>();
        Map<Long, Map<String, PointCloud>> second = new LinkedHashMap<>();
        byWorker.put("worker-0", first);
        byWorker.put("worker-1", second);
        data.clouds().forEach((label, blocks) -> blocks.forEach((block, cloud) -> {
            if (split.equals("disjoint blocks")) {
                Map<Long, Map<String, PointCloud>> target = blockIds.indexOf(block) % 2 == 0 ? first : second;
                target.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud);
            } else {
                int half = cloud.size() / 2;
                first.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud.slice(0, half));
                second.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud.slice(half, cloud.size()));
            }
        }));
        StorageConfig config = freshConfig();
        try (Store store = PocaDuck.open(config)) {
            writeWorkers(store, byWorker);
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(data.labels());
                long total = 0;
                for (long label : data.labels()) {
                    assertSameMultiset(query.points(label), data.pointsOf(label));
                    assertThat(query.pointCount(label)).isEqualTo(data.pointsOf(label).size());
                    assertThat(query.blocks(label)).containsExactlyElementsOf(data.clouds().get(label).keySet());
                    total += query.pointCount(label);
                }
                assertThat(total).isEqualTo(787);
                StoreStats stats = query.stats();
                assertThat(stats.labels()).isEqualTo(6);
                assertThat(stats.points()).isEqualTo(787);
                assertThat(stats.labelBlockPairs()).isEqualTo(49);
                assertThat(query.schema()).contains(PointSchema.defaultFor(4));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fib19-64x64x64-sample1", "fib19-64x64x64-sample2", "cx-64x64x64-sample1",
        "cx-64x64x64-sample2"})
    void dvidBlockVoxelsRoundTripWithExactCounts(String name) {
        RawLabelVolume volume = RawLabelVolume.read(SharedData.resolve("dvid_blocks/" + name + ".dat.gz"));
        LabelStats stats = LabelStats.read(SharedData.resolve("dvid_blocks/" + name + ".label_stats.csv"));
        Map<Long, PointCloud> byLabel = volume.pointsByLabel();
        // Two workers write the two halves (by z) of the one 64^3 block, "0_0_0".
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor low = store.ingestor("z-low"); Ingestor high = store.ingestor("z-high")) {
                byLabel.forEach((label, cloud) -> {
                    List<long[]> lowRows = new ArrayList<>();
                    List<long[]> highRows = new ArrayList<>();
                    for (int i = 0; i < cloud.size(); i++) {
                        (cloud.get(i, 2) < 32 ? lowRows : highRows).add(cloud.point(i));
                    }
                    low.write(label, "0_0_0", PointCloud.ofRows(3, lowRows.toArray(long[][]::new)));
                    high.write(label, "0_0_0", PointCloud.ofRows(3, highRows.toArray(long[][]::new)));
                });
                low.commit();
                high.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(stats.labels());
                assertThat(query.labelCount()).isEqualTo(stats.byLabel().size());
                try (LabelSummaries summaries = query.labelSummaries()) {
                    assertThat(stats.differences(summaries, true)).isEmpty();
                }
                for (LabelStats.Row row : stats.byLabel().values()) {
                    assertThat(query.blocks(row.label())).containsExactly("0_0_0");
                    assertSameMultiset(query.points(row.label()), byLabel.get(row.label()));
                }
                assertThat(query.stats().points()).isEqualTo(64L * 64 * 64);
            }
        }
    }

    // ---- labels and dimensions ----

    @Test
    void extremeLabelsRoundTripInUnsignedOrder() {
        long[] labels = {MAX_LABEL, 0L, TWO_POW_63, Long.MAX_VALUE, 1L, 360287970189827870L, 52045091350L};
        Map<Long, List<PointCloud>> expected = new LinkedHashMap<>();
        Map<Long, List<String>> blocks = new LinkedHashMap<>();
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor ingestor = store.ingestor("w")) {
                for (int i = 0; i < labels.length; i++) {
                    PointCloud c = cloud(3, i, i + 1, i + 2, -i, Long.MAX_VALUE, Long.MIN_VALUE);
                    ingestor.write(labels[i], "block-" + i, c);
                    expected.put(labels[i], List.of(c));
                    blocks.put(labels[i], List.of("block-" + i));
                }
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(0L, 1L, 52045091350L, 360287970189827870L, Long.MAX_VALUE,
                        TWO_POW_63, MAX_LABEL);
                assertThat(Labels.format(query.labels()[6])).isEqualTo("18446744073709551615");
                assertThat(Labels.format(query.labels()[5])).isEqualTo("9223372036854775808");
                assertStoreHolds(query, expected, blocks);
                List<LabelSummary> summaries = new ArrayList<>();
                try (LabelSummaries stream = query.labelSummaries()) {
                    stream.forEachRemaining(summaries::add);
                    assertThat(stream.hasNext()).isFalse();
                    assertThat(stream.timing().backend()).isEqualTo(storageType());
                }
                assertThat(summaries).containsExactly(new LabelSummary(0L, 2, 1), new LabelSummary(1L, 2, 1),
                        new LabelSummary(52045091350L, 2, 1), new LabelSummary(360287970189827870L, 2, 1),
                        new LabelSummary(Long.MAX_VALUE, 2, 1), new LabelSummary(TWO_POW_63, 2, 1),
                        new LabelSummary(MAX_LABEL, 2, 1));
                assertThat(query.labelCount()).isEqualTo(7);
                assertThat(query.pointCount(-2L)).isZero();
                assertThat(query.pointCount(Long.MIN_VALUE + 1)).isZero();
            }
        }
    }

    @ParameterizedTest(name = "D = {0}")
    @ValueSource(ints = {1, 3, 4, 7})
    void dimensionCountsRoundTrip(int dims) {
        long[] values = new long[dims * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7919L) - 1000 + (i % 3 == 0 ? Long.MIN_VALUE : 0);
        }
        PointCloud c = PointCloud.wrap(values, dims);
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w", one(42L, "7_8_9", c)));
            assertThat(store.schema()).contains(PointSchema.defaultFor(dims));
            try (Query query = store.query()) {
                assertThat(query.points(42L)).isEqualTo(c);
                assertThat(query.points(43L).dimensions()).isEqualTo(dims);
                assertThat(query.points(43L).isEmpty()).isTrue();
                assertThat(query.schema()).contains(PointSchema.defaultFor(dims));
            }
        }
    }

    @Test
    void declaredSchemaNamesDimensionsAndRejectsOtherCounts() {
        PointSchema schema = PointSchema.parse("x,y,z,supervoxel_id");
        StorageConfig config = freshConfig().toBuilder().schema(schema).build();
        try (Store store = PocaDuck.open(config)) {
            assertThat(store.schema()).contains(schema);
            try (Ingestor ingestor = store.ingestor("w")) {
                ingestor.write(5L, "b", new long[] {1, 2, 3, 4, 5, 6, 7, 8});
                assertThatThrownBy(() -> ingestor.write(5L, "b", cloud(3, 1, 2, 3)))
                        .isInstanceOf(SchemaMismatchException.class)
                        .hasMessageContaining("D = 3").hasMessageContaining("x,y,z,supervoxel_id");
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.schema()).contains(schema);
                assertThat(query.points(5L)).isEqualTo(cloud(4, 1, 2, 3, 4, 5, 6, 7, 8));
            }
        }
    }

    // ---- empty and unknown ----

    @Test
    void emptyStoreAnswersEveryQueryEmpty() {
        try (Store store = PocaDuck.open(freshConfig())) {
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).isEmpty();
                assertThat(query.pointCount(1L)).isZero();
                assertThat(query.blocks(1L)).isEmpty();
                assertThat(query.points(1L).isEmpty()).isTrue();
                try (PointChunks chunks = query.streamPoints(1L, 10)) {
                    assertThat(chunks.hasNext()).isFalse();
                }
                assertThat(query.stats().labels()).isZero();
                assertThat(query.stats().points()).isZero();
            }
        }
    }

    @Test
    void queryBeforeAnyConsolidationIsEmpty() {
        try (Store store = PocaDuck.open(freshConfig()); Query query = store.query()) {
            assertThat(query.labels()).isEmpty();
            assertThat(query.points(0L).isEmpty()).isTrue();
        }
    }

    @Test
    void unknownLabelGivesEmptyResults() {
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w", one(10L, "b", cloud(3, 1, 2, 3))));
            try (Query query = store.query()) {
                for (long unknown : new long[] {0L, 11L, MAX_LABEL, TWO_POW_63}) {
                    ContractChecks.assertUnknownLabelIsEmpty(query, unknown, 3);
                }
            }
        }
    }

    // ---- write semantics ----

    @Test
    void writingTheSameLabelAndBlockAgainAppends() {
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor ingestor = store.ingestor("w")) {
                ingestor.write(9L, "b", cloud(3, 1, 1, 1));
                ingestor.write(9L, "b", cloud(3, 2, 2, 2, 1, 1, 1));
                ingestor.write(9L, "c", cloud(3, 3, 3, 3));
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.pointCount(9L)).isEqualTo(4);
                assertThat(query.blocks(9L)).containsExactly("b", "c");
                assertSameMultiset(query.points(9L), cloud(3, 1, 1, 1, 2, 2, 2, 1, 1, 1, 3, 3, 3));
                // Repeats are kept unless asked otherwise.
                assertThat(query.points(9L, ReadOption.DISTINCT)).isEqualTo(cloud(3, 1, 1, 1, 2, 2, 2, 3, 3, 3));
                assertThat(query.pointsTimed(9L, ReadOption.DISTINCT).timing().pointsReturned()).isEqualTo(3);
            }
        }
    }

    @Test
    void blockIdsHoldingQuotesSemicolonsAndUnicodeRoundTrip() {
        List<String> ids = List.of("it's", "a\"b", "x;DROP TABLE t;--", "ブロック_1_2", "tab\there", "1_2_3");
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor ingestor = store.ingestor("w")) {
                for (int i = 0; i < ids.size(); i++) {
                    ingestor.write(77L, ids.get(i), cloud(3, i, i, i));
                }
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.blocks(77L)).containsExactlyElementsOf(new TreeSet<>(ids));
                assertThat(query.pointCount(77L)).isEqualTo(ids.size());
            }
        }
    }

    @Test
    void rerunningAWorkerReplacesItsEarlierOutput() {
        StorageConfig config = freshConfig();
        try (Store store = PocaDuck.open(config)) {
            writeWorkers(store, Map.of("a", one(1L, "b1", cloud(3, 1, 1, 1)), "b", one(2L, "b2", cloud(3, 2, 2, 2))));
            // Worker a runs again and writes something else: its first output is gone.
            writeWorkers(store, Map.of("a", one(3L, "b3", cloud(3, 3, 3, 3, 4, 4, 4))));
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(2L, 3L);
                assertThat(query.pointCount(1L)).isZero();
                assertThat(query.pointCount(3L)).isEqualTo(2);
            }
            // A rerun that writes nothing leaves the worker with no output.
            try (Ingestor ingestor = store.ingestor("a")) {
                assertThat(ingestor.pointsWritten()).isZero();
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(2L);
            }
        }
    }

    @Test
    void abortedRunKeepsTheWorkersEarlierOutput() {
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("a", one(1L, "b1", cloud(3, 1, 1, 1))));
            Ingestor rerun = store.ingestor("a");
            rerun.write(5L, "b5", cloud(3, 5, 5, 5));
            rerun.abort();
            rerun.close();
            assertThatThrownBy(() -> rerun.write(6L, "b", cloud(3, 1, 1, 1))).isInstanceOf(IllegalStateException.class);
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(1L);
            }
        }
    }

    @Test
    void anIngestorWithinASmallMemoryBudgetKeepsEveryPointOrRefusesClearly() {
        long budget = Store.MIN_MEMORY_BUDGET_BYTES;
        try (Store store = PocaDuck.open(freshConfig())) {
            assertThatThrownBy(() -> store.ingestor("a", budget - 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Cannot start worker 'a' with a memory budget of 1048575 bytes: at least 1048576 "
                            + "(1MiB) is needed");
            assertThatThrownBy(() -> store.consolidate(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("with a memory budget of 0 bytes: at least 1048576 (1MiB) is needed");
            writeWorkers(store, Map.of("a", one(1L, "b1", cloud(3, 1, 1, 1))));

            // 4 labels x 2 blocks x 40,000 points x D = 3: 7.7 MB of points through a 1 MiB budget.
            Map<Long, List<PointCloud>> expected = new LinkedHashMap<>();
            Map<Long, List<String>> blocks = new LinkedHashMap<>();
            RuntimeException refused = null;
            try (Ingestor ingestor = store.ingestor("a", budget)) {
                for (long label = 10; label < 14; label++) {
                    for (int b = 0; b < 2; b++) {
                        long[] values = new long[40_000 * 3];
                        for (int i = 0; i < 40_000; i++) {
                            values[3 * i] = i;
                            values[3 * i + 1] = label * 7 + b;
                            values[3 * i + 2] = i % 97;
                        }
                        PointCloud cloud = PointCloud.wrap(values, 3);
                        ingestor.write(label, "b" + b, cloud);
                        expected.computeIfAbsent(label, l -> new ArrayList<>()).add(cloud);
                        blocks.computeIfAbsent(label, l -> new ArrayList<>()).add("b" + b);
                    }
                }
                ingestor.commit();
            } catch (IllegalStateException e) {
                refused = e;
            }
            store.consolidate(budget);
            try (Query query = store.query()) {
                if (store.supports(Capability.PERSISTENT)) {
                    // A persistent backend writes out whenever its share is full and loses nothing.
                    assertThat(refused).isNull();
                    assertStoreHolds(query, expected, blocks);
                } else {
                    // A backend that holds every point in memory refuses, naming the budget; the
                    // worker's earlier output stays.
                    assertThat(refused).isNotNull().hasMessageStartingWith("Cannot write 40000 points of label ")
                            .hasMessageContaining("over half its memory budget of 1048576 bytes");
                    assertThat(query.labels()).containsExactly(1L);
                }
            }
        }
    }

    @Test
    void consolidatingTwiceGivesTheSameResult() {
        PocaduckPoints data = PocaduckPoints.load();
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w", data.clouds()));
            StoreStats once;
            try (Query query = store.query()) {
                once = query.stats();
            }
            store.consolidate();
            PocaDuck.consolidate(store.config());
            try (Query query = store.query()) {
                assertThat(query.stats().labels()).isEqualTo(once.labels());
                assertThat(query.stats().points()).isEqualTo(787);
                assertThat(query.stats().labelBlockPairs()).isEqualTo(once.labelBlockPairs());
                for (long label : data.labels()) {
                    assertSameMultiset(query.points(label), data.pointsOf(label));
                }
            }
        }
    }

    @Test
    void aQuerySeesTheStoreAsConsolidatedWhenItWasOpened() {
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("a", one(1L, "b", cloud(3, 1, 1, 1))));
            try (Query before = store.query()) {
                writeWorkers(store, Map.of("b", one(2L, "b", cloud(3, 2, 2, 2))));
                try (Query after = store.query()) {
                    assertThat(after.labels()).containsExactly(1L, 2L);
                    assertThat(after.pointCount(2L)).isEqualTo(1);
                }
                assertThat(before.labels()).containsExactly(1L);
                assertThat(before.labelCount()).isEqualTo(1);
                assertThat(before.pointCount(2L)).isZero();
                assertThat(before.points(2L).isEmpty()).isTrue();
                assertThat(before.pointCount(1L)).isEqualTo(1);
            }
        }
    }

    @Test
    void reopeningTheStoreFromItsConfigSeesTheData() {
        StorageConfig config = freshConfig();
        try (Store store = PocaDuck.open(config)) {
            writeWorkers(store, Map.of("w", one(TWO_POW_63, "b", cloud(4, 1, 2, 3, 4))));
        }
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(TWO_POW_63);
            assertThat(query.points(TWO_POW_63)).isEqualTo(cloud(4, 1, 2, 3, 4));
            assertThat(store.schema()).contains(PointSchema.defaultFor(4));
        }
    }

    @Test
    void concurrentWorkerThreadsAndQueries() throws Exception {
        int workers = 4;
        int labelsPerWorker = 12;
        try (Store store = PocaDuck.open(freshConfig())) {
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    futures.add(pool.submit(() -> {
                        try (Ingestor ingestor = store.ingestor("thread-" + worker)) {
                            for (int l = 0; l < labelsPerWorker; l++) {
                                // Every worker writes every label, in its own block.
                                ingestor.write(l, "block-" + worker, cloud(3, worker, l, 0, worker, l, 1));
                            }
                            ingestor.commit();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                store.consolidate();
                try (Query query = store.query()) {
                    List<Callable<Boolean>> readers = new ArrayList<>();
                    for (int r = 0; r < workers; r++) {
                        readers.add(() -> {
                            for (int l = 0; l < labelsPerWorker; l++) {
                                assertThat(query.pointCount(l)).isEqualTo(2L * workers);
                                assertThat(query.blocks(l)).hasSize(workers);
                                assertThat(query.points(l).size()).isEqualTo(2 * workers);
                            }
                            return true;
                        });
                    }
                    for (Future<Boolean> f : pool.invokeAll(readers)) {
                        assertThat(f.get()).isTrue();
                    }
                    assertThat(query.labels()).hasSize(labelsPerWorker);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }


    // ---- explicit commit ----

    @Test
    void aWorkerCommitsOnlyWhenToldAndACrashedRerunKeepsItsEarlierOutput() {
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor worker = store.ingestor("w3")) {
                worker.write(7L, "b0", cloud(3, 1, 1, 1, 2, 2, 2));
                worker.commit();
                assertThat(worker.isCommitted()).isTrue();
                worker.commit();
                assertThatThrownBy(() -> worker.write(7L, "b0", cloud(3, 3, 3, 3)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("w3")
                        .hasMessageContaining("committed");
            }
            // The rerun writes 5 points and fails half-way inside try-with-resources.
            assertThatThrownBy(() -> {
                try (Ingestor rerun = store.ingestor("w3")) {
                    rerun.write(7L, "b0", cloud(3, 5, 5, 5, 6, 6, 6, 7, 7, 7));
                    rerun.write(8L, "b1", cloud(3, 8, 8, 8, 9, 9, 9));
                    throw new IllegalStateException("corrupt slab");
                }
            }).isInstanceOf(IllegalStateException.class).hasMessage("corrupt slab");
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(7L);
                assertThat(query.pointCount(7L)).isEqualTo(2);
                assertSameMultiset(query.points(7L), cloud(3, 1, 1, 1, 2, 2, 2));
            }
        }
    }

    @Test
    void closingWithoutCommitDiscardsTheRunAndCannotBeCommittedLater() {
        try (Store store = PocaDuck.open(freshConfig())) {
            Ingestor forgotten = store.ingestor("forgotten");
            forgotten.write(1L, "b", cloud(3, 1, 2, 3));
            forgotten.close();
            assertThat(forgotten.isCommitted()).isFalse();
            assertThatThrownBy(forgotten::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("forgotten").hasMessageContaining("without commit");
            Ingestor aborted = store.ingestor("aborted");
            aborted.write(2L, "b", cloud(3, 1, 2, 3));
            aborted.abort();
            assertThatThrownBy(aborted::commit).isInstanceOf(IllegalStateException.class);
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).isEmpty();
                assertThat(query.labelCount()).isZero();
            }
            // The worker id is free again, and a committed rerun is seen.
            try (Ingestor again = store.ingestor("forgotten")) {
                again.write(1L, "b", cloud(3, 1, 2, 3));
                again.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(1L);
            }
        }
    }

    @Test
    void committedWorkersListsExactlyTheCommittedRunsAndSurvivesReopening() {
        StorageConfig config = freshConfig();
        try (Store store = PocaDuck.open(config)) {
            assertThat(store.supports(Capability.WRITE)).isTrue();
            assertThat(store.committedWorkers()).isEmpty();
            try (Ingestor w2 = store.ingestor("w2")) {
                w2.write(1L, "b", cloud(3, 1, 2, 3));
                w2.commit();
            }
            try (Ingestor empty = store.ingestor("empty")) {
                empty.commit();
            }
            try (Ingestor aborted = store.ingestor("aborted")) {
                aborted.write(2L, "b", cloud(3, 1, 2, 3));
            }
            Ingestor open = store.ingestor("open");
            open.write(3L, "b", cloud(3, 1, 2, 3));
            // Committed, not yet consolidated: listed; aborted and still open: not.
            assertThat(store.committedWorkers()).containsExactly("empty", "w2");
            open.commit();
            store.consolidate();
            assertThat(store.committedWorkers()).containsExactly("empty", "open", "w2");
        }
        try (Store reopened = PocaDuck.openExisting(config)) {
            assertThat(reopened.committedWorkers()).containsExactly("empty", "open", "w2");
        }
    }

    // ---- reads that keep block ids ----

    /** Block ids whose String.compareTo order differs from their UTF-8 byte order (the SQL engines' order). */
    private static final List<String> AWKWARD_BLOCKS = List.of("10_0_0", "9_0_0", "\uD83D\uDE00", "\uFF21", "b", "B");

    @ParameterizedTest(name = "split by {0}")
    @ValueSource(strings = {"disjoint blocks", "shared blocks"})
    void streamBlocksGivesEveryBlockInBlockIdOrderInBoundedChunks(String split) {
        PocaduckPoints data = PocaduckPoints.load();
        Map<String, Map<Long, Map<String, PointCloud>>> byWorker = new LinkedHashMap<>();
        Map<Long, Map<String, PointCloud>> first = new LinkedHashMap<>();
        Map<Long, Map<String, PointCloud>> second = new LinkedHashMap<>();
        byWorker.put("worker-0", first);
        byWorker.put("worker-1", second);
        List<String> blockIds = data.blockIds();
        data.clouds().forEach((label, blocks) -> blocks.forEach((block, cloud) -> {
            if (split.equals("disjoint blocks")) {
                (blockIds.indexOf(block) % 2 == 0 ? first : second).computeIfAbsent(label, l -> new LinkedHashMap<>())
                        .put(block, cloud);
            } else {
                int half = cloud.size() / 2;
                first.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud.slice(0, half));
                second.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud.slice(half, cloud.size()));
            }
        }));
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, byWorker);
            try (Query query = store.query()) {
                for (long label : data.labels()) {
                    Map<String, PointCloud> expected = data.clouds().get(label);
                    Timed<Map<String, PointCloud>> streamed = ContractChecks.streamedBlocks(query, label, 7);
                    assertThat(streamed.timing().pointsReturned()).isEqualTo(data.pointsOf(label).size());
                    assertThat(streamed.timing().operation()).isEqualTo("streamBlocks");
                    assertThat(streamed.timing().backend()).isEqualTo(storageType());
                    assertThat(streamed.result().keySet()).containsExactlyElementsOf(new TreeSet<>(expected.keySet()));
                    expected.forEach((block, cloud) -> assertSameMultiset(streamed.result().get(block), cloud));
                }
                try (BlockChunks none = query.streamBlocks(123456789L, 10)) {
                    assertThat(none.hasNext()).isFalse();
                    assertThat(none.timing().pointsReturned()).isZero();
                }
                try (BlockChunks early = query.streamBlocks(data.labels()[0], 1)) {
                    assertThat(early.next().points().size()).isEqualTo(1);
                }
                assertThatThrownBy(() -> query.streamBlocks(1L, 0)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("maxChunkPoints = 0");
            }
        }
    }

    /** What a label stream gave: per label (in stream order), per block (in stream order), its chunks. */
    private static Map<Long, Map<String, List<PointCloud>>> readLabels(Query query, LabelSelection selection, int max,
            String storageType) {
        Map<Long, Map<String, List<PointCloud>>> got = new LinkedHashMap<>();
        long points = 0;
        try (LabelChunks chunks = query.streamLabels(selection, max)) {
            Long previousLabel = null;
            String previousBlock = null;
            while (chunks.hasNext()) {
                LabelPoints chunk = chunks.next();
                assertThat(chunk.points().size()).isBetween(1, max);
                assertThat(selection.contains(chunk.label())).as("label %s selected", Labels.format(chunk.label()))
                        .isTrue();
                if (previousLabel == null || previousLabel != chunk.label()) {
                    if (previousLabel != null) {
                        assertThat(Long.compareUnsigned(chunk.label(), previousLabel))
                                .as("labels in unsigned order: %s after %s", Labels.format(chunk.label()),
                                        Labels.format(previousLabel)).isPositive();
                    }
                    assertThat(got).as("a label's chunks are consecutive").doesNotContainKey(chunk.label());
                    previousBlock = null;
                } else if (!chunk.blockId().equals(previousBlock)) {
                    assertThat(chunk.blockId().compareTo(previousBlock)).as("blocks in String.compareTo order: %s after %s",
                            chunk.blockId(), previousBlock).isPositive();
                }
                previousLabel = chunk.label();
                previousBlock = chunk.blockId();
                got.computeIfAbsent(chunk.label(), l -> new LinkedHashMap<>())
                        .computeIfAbsent(chunk.blockId(), b -> new ArrayList<>()).add(chunk.points());
                points += chunk.points().size();
            }
            assertThat(chunks.hasNext()).isFalse();
            assertThat(chunks.timing().pointsReturned()).isEqualTo(points);
            assertThat(chunks.timing().operation()).isEqualTo("streamLabels");
            assertThat(chunks.timing().backend()).isEqualTo(storageType);
        }
        return got;
    }

    /** Asserts a label stream holds exactly the expected labels' blocks and points. */
    private static void assertLabelsStreamed(Map<Long, Map<String, List<PointCloud>>> got,
            Map<Long, Map<String, PointCloud>> expected) {
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((label, blocks) -> {
            assertThat(got.get(label).keySet()).as("blocks of %s", Labels.format(label))
                    .containsExactlyElementsOf(new TreeSet<>(blocks.keySet()));
            blocks.forEach((block, cloud) -> assertSameMultiset(PointCloud.concat(cloud.dimensions(),
                    got.get(label).get(block)), cloud));
        });
    }

    @Test
    void streamLabelsGivesTheSelectedLabelsInOrderBlockByBlockInBoundedChunks() {
        PocaduckPoints data = PocaduckPoints.load();
        // The real labels split over two workers (each block's points halved), plus labels at the
        // edges of the uint64 range with awkward block ids.
        Map<Long, Map<String, PointCloud>> expected = new HashMap<>();
        Map<Long, Map<String, PointCloud>> first = new LinkedHashMap<>();
        Map<Long, Map<String, PointCloud>> second = new LinkedHashMap<>();
        data.clouds().forEach((label, blocks) -> blocks.forEach((block, cloud) -> {
            int half = cloud.size() / 2;
            first.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud.slice(0, half));
            second.computeIfAbsent(label, l -> new LinkedHashMap<>()).put(block, cloud.slice(half, cloud.size()));
            expected.computeIfAbsent(label, l -> new HashMap<>()).put(block, cloud);
        }));
        long[] edges = {0L, Long.MAX_VALUE, TWO_POW_63, MAX_LABEL};
        for (int i = 0; i < edges.length; i++) {
            for (int b = 0; b < AWKWARD_BLOCKS.size(); b++) {
                PointCloud cloud = cloud(4, i, b, -b, edges[i], i, b, b, 1);
                first.computeIfAbsent(edges[i], l -> new LinkedHashMap<>()).put(AWKWARD_BLOCKS.get(b), cloud);
                expected.computeIfAbsent(edges[i], l -> new HashMap<>()).put(AWKWARD_BLOCKS.get(b), cloud);
            }
        }
        Map<String, Map<Long, Map<String, PointCloud>>> byWorker = new LinkedHashMap<>();
        byWorker.put("worker-0", first);
        byWorker.put("worker-1", second);
        long[] labels = data.labels();
        Labels.sortUnsigned(labels);
        long low = labels[labels.length / 4];
        long high = labels[labels.length / 2];
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, byWorker);
            try (Query query = store.query()) {
                assertLabelsStreamed(readLabels(query, LabelSelection.all(), 7, storageType()), expected);
                assertLabelsStreamed(readLabels(query, LabelSelection.all(), 1_000_000, storageType()), expected);
                Map<Long, Map<String, PointCloud>> middle = new HashMap<>(expected);
                middle.keySet().removeIf(l -> Long.compareUnsigned(l, low) < 0 || Long.compareUnsigned(l, high) > 0);
                assertThat(middle).hasSizeGreaterThan(1);
                assertLabelsStreamed(readLabels(query, LabelSelection.range(low, high), 5, storageType()), middle);
                // Across 2^63, where signed and unsigned order part.
                Map<Long, Map<String, PointCloud>> across = new HashMap<>();
                across.put(Long.MAX_VALUE, expected.get(Long.MAX_VALUE));
                across.put(TWO_POW_63, expected.get(TWO_POW_63));
                assertLabelsStreamed(readLabels(query, LabelSelection.range(Long.MAX_VALUE - 1, TWO_POW_63 + 1), 3,
                        storageType()), across);
                Map<Long, Map<String, PointCloud>> listed = new HashMap<>();
                listed.put(MAX_LABEL, expected.get(MAX_LABEL));
                listed.put(0L, expected.get(0L));
                listed.put(labels[1], expected.get(labels[1]));
                assertLabelsStreamed(readLabels(query, LabelSelection.of(MAX_LABEL, 123456789L, labels[1], 0L, -2L),
                        2, storageType()), listed);
                assertThat(readLabels(query, LabelSelection.of(123456789L, -2L), 10, storageType())).isEmpty();
                assertThat(readLabels(query, LabelSelection.range(-3L, -2L), 10, storageType())).isEmpty();
                try (LabelChunks early = query.streamLabels(LabelSelection.all(), 1)) {
                    assertThat(early.next().label()).isZero();
                }
                assertThatThrownBy(() -> query.streamLabels(LabelSelection.all(), 0))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChunkPoints = 0");
                assertThatThrownBy(() -> query.streamLabels(null, 10)).isInstanceOf(NullPointerException.class)
                        .hasMessage("selection is null");
                assertThatThrownBy(() -> LabelSelection.range(MAX_LABEL, 0L)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("Cannot select labels 18446744073709551615 to 0: the last label is below the first "
                                + "(labels are unsigned 64-bit)");
            }
        }
        try (Store empty = PocaDuck.open(freshConfig()); Query query = empty.query()) {
            assertThat(readLabels(query, LabelSelection.all(), 10, storageType())).isEmpty();
        }
    }

    @Test
    void blocksAndStreamBlocksFollowStringCompareToOrder() {
        List<String> ids = AWKWARD_BLOCKS;
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor ingestor = store.ingestor("w")) {
                for (int i = 0; i < ids.size(); i++) {
                    ingestor.write(5L, ids.get(i), cloud(3, i, i, i, i, i, -i));
                }
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
                assertThat(sorted.indexOf("\uD83D\uDE00")).isLessThan(sorted.indexOf("\uFF21"));
                assertThat(query.blocks(5L)).containsExactlyElementsOf(sorted);
                List<String> streamed = new ArrayList<>();
                try (BlockChunks chunks = query.streamBlocks(5L, 1)) {
                    chunks.forEachRemaining(c -> streamed.add(c.blockId()));
                }
                // Two chunks of one point per block, in String.compareTo order.
                assertThat(streamed).containsExactlyElementsOf(sorted.stream().flatMap(b -> java.util.stream.Stream.of(b, b))
                        .toList());
                for (int i = 0; i < ids.size(); i++) {
                    assertSameMultiset(query.points(5L, Set.of(ids.get(i))), cloud(3, i, i, i, i, i, -i));
                }
            }
        }
    }

    @Test
    void pointsOfSomeBlocksReadOnlyThoseBlocks() {
        PocaduckPoints data = PocaduckPoints.load();
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w0", data.clouds()));
            try (Query query = store.query()) {
                for (long label : data.labels()) {
                    Map<String, PointCloud> blocks = data.clouds().get(label);
                    List<String> ids = new ArrayList<>(blocks.keySet());
                    for (int take = 1; take <= ids.size(); take += 2) {
                        Set<String> chosen = new java.util.HashSet<>(ids.subList(0, take));
                        List<PointCloud> want = new ArrayList<>();
                        chosen.forEach(b -> want.add(blocks.get(b)));
                        Set<String> withUnknown = new java.util.HashSet<>(chosen);
                        withUnknown.add("no-such-block");
                        assertSameMultiset(query.points(label, withUnknown), PointCloud.concat(4, want));
                    }
                    assertSameMultiset(query.points(label, blocks.keySet()), data.pointsOf(label));
                    PointCloud none = query.points(label, Set.of("no-such-block"));
                    assertThat(none.isEmpty()).isTrue();
                    assertThat(none.dimensions()).isEqualTo(4);
                    assertThat(query.points(label, Set.of()).isEmpty()).isTrue();
                }
                assertThat(query.points(999_999L, Set.of(data.blockIds().getFirst())).isEmpty()).isTrue();
                assertThatThrownBy(() -> query.points(1L, (Set<String>) null)).isInstanceOf(NullPointerException.class);
            }
        }
    }

    @Test
    void aBlockOfMoreThanAMillionPointsStreamsInChunks() {
        int n = 1_000_003;
        long label = TWO_POW_63 + 5;
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor ingestor = store.ingestor("big")) {
                // Written in several slices, as a scan writes a block cut over slabs.
                for (int from = 0; from < n; from += 300_000) {
                    int to = Math.min(n, from + 300_000);
                    long[] values = new long[(to - from) * 3];
                    for (int i = from; i < to; i++) {
                        values[(i - from) * 3] = i;
                        values[(i - from) * 3 + 1] = 3L * i;
                        values[(i - from) * 3 + 2] = -i;
                    }
                    ingestor.write(label, "1_1_1", PointCloud.wrap(values, 3));
                }
                ingestor.write(label, "0_0_0", cloud(3, -1, -3, 1));
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labelCount()).isEqualTo(1);
                try (LabelSummaries summaries = query.labelSummaries()) {
                    assertThat(summaries.next()).isEqualTo(new LabelSummary(label, n + 1L, 2));
                    assertThat(summaries.hasNext()).isFalse();
                }
                boolean[] seen = new boolean[n];
                int chunksOfBig = 0;
                List<String> order = new ArrayList<>();
                try (BlockChunks chunks = query.streamBlocks(label, 65_536)) {
                    while (chunks.hasNext()) {
                        BlockPoints chunk = chunks.next();
                        PointCloud p = chunk.points();
                        assertThat(p.size()).isBetween(1, 65_536);
                        if (order.isEmpty() || !order.getLast().equals(chunk.blockId())) {
                            order.add(chunk.blockId());
                        }
                        if (chunk.blockId().equals("0_0_0")) {
                            assertThat(p).isEqualTo(cloud(3, -1, -3, 1));
                            continue;
                        }
                        chunksOfBig++;
                        for (int i = 0; i < p.size(); i++) {
                            long x = p.get(i, 0);
                            if (x < 0 || x >= n || p.get(i, 1) != 3 * x || p.get(i, 2) != -x || seen[(int) x]) {
                                throw new AssertionError("point " + java.util.Arrays.toString(p.point(i))
                                        + " of the large block is not one written, or comes twice");
                            }
                            seen[(int) x] = true;
                        }
                    }
                    assertThat(chunks.timing().pointsReturned()).isEqualTo(n + 1L);
                }
                assertThat(order).containsExactly("0_0_0", "1_1_1");
                assertThat(chunksOfBig).isGreaterThanOrEqualTo((n + 65_535) / 65_536);
                for (int i = 0; i < n; i++) {
                    if (!seen[i]) {
                        throw new AssertionError("point " + i + " of the large block is missing");
                    }
                }
                assertThat(query.points(label, Set.of("0_0_0"))).isEqualTo(cloud(3, -1, -3, 1));
            }
        }
    }

    // ---- filtered reads: blocks, box, scale ----

    /** One label above 2^63 over two blocks and two workers, with negative coordinates and a repeat. */
    private static final long FILTERED = TWO_POW_63 + 7;

    private static Store filteredStore(StorageConfig config) {
        Store store = PocaDuck.open(config);
        Map<String, Map<Long, Map<String, PointCloud>>> byWorker = new LinkedHashMap<>();
        Map<Long, Map<String, PointCloud>> first = new LinkedHashMap<>();
        first.computeIfAbsent(FILTERED, l -> new LinkedHashMap<>()).put("0_0_0", cloud(4,
                0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, 2, -3, 2, 5, 2));
        first.computeIfAbsent(5L, l -> new LinkedHashMap<>()).put("0_0_0", cloud(4, 0, 0, 0, 9));
        Map<Long, Map<String, PointCloud>> second = new LinkedHashMap<>();
        second.computeIfAbsent(FILTERED, l -> new LinkedHashMap<>()).put("0_0_0", cloud(4, 0, 1, 0, 1));
        second.get(FILTERED).put("1_0_0", cloud(4, 64, 0, 0, 1, 65, 1, 1, 1, -2, -2, -2, 2, 3, -4, 7, MAX_LABEL));
        second.computeIfAbsent(MAX_LABEL, l -> new LinkedHashMap<>()).put("b", cloud(4,
                Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0));
        byWorker.put("w1", first);
        byWorker.put("w2", second);
        writeWorkers(store, byWorker);
        return store;
    }

    private static PointFilter box(long minX, long minY, long minZ, long maxX, long maxY, long maxZ) {
        return PointFilter.ALL.withBox(new Box(minX, minY, minZ, maxX, maxY, maxZ));
    }

    @Test
    void aBoxKeepsExactlyThePointsInsideItBoundsIncluded() {
        try (Store store = filteredStore(freshConfig()); Query query = store.query()) {
            assertSameMultiset(query.points(FILTERED, box(0, 0, 0, 1, 1, 1)),
                    cloud(4, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1));
            assertSameMultiset(query.points(FILTERED, box(-3, -2, -2, 0, 2, 5)),
                    cloud(4, 0, 0, 0, 1, -1, -1, -1, 2, -3, 2, 5, 2, 0, 1, 0, 1, -2, -2, -2, 2));
            assertSameMultiset(query.points(FILTERED, PointFilter.ALL), query.points(FILTERED));
            assertThat(query.points(FILTERED, PointFilter.ALL).size()).isEqualTo(10);
            assertSameMultiset(query.points(MAX_LABEL, box(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
                    Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)), query.points(MAX_LABEL));
            assertThat(query.points(5L, box(0, 0, 0, 0, 0, 0))).isEqualTo(cloud(4, 0, 0, 0, 9));
        }
    }

    @Test
    void aScaleFloorsCoordinatesNegativesIncludedAndKeepsDistinctPointsSorted() {
        try (Store store = filteredStore(freshConfig()); Query query = store.query()) {
            assertThat(query.points(FILTERED, PointFilter.ALL.withScale(1))).isEqualTo(cloud(4,
                    -2, 1, 2, 2, -1, -1, -1, 2, 0, 0, 0, 1, 1, -2, 3, MAX_LABEL, 32, 0, 0, 1));
            assertThat(query.points(FILTERED, PointFilter.ALL.withScale(6))).isEqualTo(cloud(4,
                    -1, -1, -1, 2, -1, 0, 0, 2, 0, -1, 0, MAX_LABEL, 0, 0, 0, 1, 1, 0, 0, 1));
            // The box applies at full resolution, before the scale.
            assertThat(query.points(FILTERED, box(-3, -4, -2, 1, 2, 7).withScale(1))).isEqualTo(cloud(4,
                    -2, 1, 2, 2, -1, -1, -1, 2, 0, 0, 0, 1));
            assertThat(query.points(MAX_LABEL, PointFilter.ALL.withScale(PointFilter.MAX_SCALE)))
                    .isEqualTo(cloud(4, -1, 0, -1, 0, 0, -1, 0, 0));
        }
    }

    @Test
    void chosenBlocksCombineWithABoxAndAScale() {
        try (Store store = filteredStore(freshConfig()); Query query = store.query()) {
            assertSameMultiset(query.points(FILTERED, box(60, 0, 0, 70, 1, 1).withBlocks(Set.of("1_0_0"))),
                    cloud(4, 64, 0, 0, 1, 65, 1, 1, 1));
            assertThat(query.points(FILTERED, PointFilter.ALL.withBlocks(Set.of("1_0_0", "no-such-block"))
                    .withScale(1))).isEqualTo(cloud(4, -1, -1, -1, 2, 1, -2, 3, MAX_LABEL, 32, 0, 0, 1));
            assertSameMultiset(query.points(FILTERED, PointFilter.ALL.withBlocks(Set.of("0_0_0"))),
                    query.points(FILTERED, Set.of("0_0_0")));
        }
    }

    @Test
    void filtersThatKeepNothingGiveNoPointsWithTheStoresDimensions() {
        try (Store store = filteredStore(freshConfig()); Query query = store.query()) {
            List<PointCloud> empty = List.of(
                    query.points(FILTERED, box(1000, 1000, 1000, 1000, 1000, 1000)),
                    query.points(FILTERED, box(1000, 1000, 1000, 1000, 1000, 1000).withScale(3)),
                    query.points(6L, box(0, 0, 0, 1, 1, 1)),
                    query.points(6L, PointFilter.ALL.withScale(2)),
                    query.points(FILTERED, PointFilter.ALL.withBlocks(Set.of())),
                    query.points(FILTERED, PointFilter.ALL.withBlocks(Set.of("no-such-block")).withScale(1)));
            for (PointCloud none : empty) {
                assertThat(none.isEmpty()).isTrue();
                assertThat(none.dimensions()).isEqualTo(4);
            }
            Timed<PointCloud> timed = query.pointsTimed(FILTERED, box(0, 0, 0, 1, 1, 1));
            assertThat(timed.timing().operation()).isEqualTo("points");
            assertThat(timed.timing().backend()).isEqualTo(storageType());
            assertThat(timed.timing().pointsReturned()).isEqualTo(4);
        }
    }

    @Test
    void badFilterArgumentsFailNamingTheValueAndTheRule() {
        assertThatThrownBy(() -> new Box(2, 0, 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minx = 2 is above maxx = 1");
        assertThatThrownBy(() -> new Box(0, 0, 5, 0, 0, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minz = 5 is above maxz = -5");
        assertThatThrownBy(() -> PointFilter.ALL.withScale(64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale 64").hasMessageContaining("0 (full resolution) to 63");
        assertThatThrownBy(() -> PointFilter.ALL.withScale(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale -1");
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w", one(1L, "b", cloud(2, 1, 2, 3, 4, 1, 2))));
            try (Query query = store.query()) {
                assertThatThrownBy(() -> query.points(1L, (PointFilter) null)).isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> query.points(1L, box(0, 0, 0, 9, 9, 9)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("label 1").hasMessageContaining("D = 2 values");
                assertThatThrownBy(() -> query.points(1L, PointFilter.ALL.withScale(1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("D = 2 values");
                // Without a box or a scale, D = 2 is fine: blocks alone need no coordinates.
                assertSameMultiset(query.points(1L, PointFilter.ALL.withBlocks(Set.of("b"))), cloud(2, 1, 2, 3, 4, 1, 2));
                assertSameMultiset(query.points(1L, PointFilter.ALL), cloud(2, 1, 2, 3, 4, 1, 2));
            }
        }
    }

    @Test
    void aFilteredReadOfALabelOfManyChunksIsExact() {
        int n = 200_003;
        long label = MAX_LABEL - 1;
        try (Store store = PocaDuck.open(freshConfig())) {
            try (Ingestor ingestor = store.ingestor("big")) {
                long[] values = new long[n * 3];
                for (int i = 0; i < n; i++) {
                    values[i * 3] = i;
                    values[i * 3 + 1] = i % 7;
                    values[i * 3 + 2] = -i;
                }
                // Two blocks, so that the chunks of the stream cross a block boundary.
                ingestor.write(label, "a", PointCloud.wrap(values, 3).slice(0, n / 2));
                ingestor.write(label, "b", PointCloud.wrap(values, 3).slice(n / 2, n));
                ingestor.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                // At scale 3: x = floor(i/8), y = 0, z = floor(-i/8); each k = 0..25000 gives
                // (k, 0, -k) from i = 8k and (k, 0, -k-1) from i = 8k+1..8k+7.
                PointCloud scaled = query.points(label, PointFilter.ALL.withScale(3));
                assertThat(scaled.size()).isEqualTo(2 * 25_001);
                for (int k = 0; k <= 25_000; k++) {
                    assertThat(scaled.point(2 * k)).containsExactly(k, 0, -k - 1);
                    assertThat(scaled.point(2 * k + 1)).containsExactly(k, 0, -k);
                }
                PointCloud boxed = query.points(label, box(100_000, 0, -150_000, 150_000, 3, 0));
                long expected = 0;
                for (int i = 100_000; i <= 150_000; i++) {
                    expected += i % 7 <= 3 ? 1 : 0;
                }
                assertThat(boxed.size()).isEqualTo(expected);
                for (int i = 0; i < boxed.size(); i++) {
                    long x = boxed.get(i, 0);
                    assertThat(x).isBetween(100_000L, 150_000L);
                    assertThat(boxed.point(i)).containsExactly(x, x % 7, -x);
                }
            }
        }
    }

    @Test
    void filteredReadsOfRealPointsEqualFilteringEveryPoint() {
        PocaduckPoints data = PocaduckPoints.load();
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w0", data.clouds()));
            try (Query query = store.query()) {
                for (long label : data.labels()) {
                    PointCloud all = data.pointsOf(label);
                    long[] xs = all.column(0);
                    java.util.Arrays.sort(xs);
                    long midX = xs[xs.length / 2];
                    Box lowerHalf = new Box(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, midX, Long.MAX_VALUE,
                            Long.MAX_VALUE);
                    List<long[]> inside = new ArrayList<>();
                    java.util.TreeSet<List<Long>> scaled = new java.util.TreeSet<>(BackendContractTest::compareRows);
                    for (int i = 0; i < all.size(); i++) {
                        long[] p = all.point(i);
                        if (p[0] <= midX) {
                            inside.add(p);
                        }
                        scaled.add(List.of(Math.floorDiv(p[0], 4L), Math.floorDiv(p[1], 4L), Math.floorDiv(p[2], 4L), p[3]));
                    }
                    assertSameMultiset(query.points(label, PointFilter.ALL.withBox(lowerHalf)),
                            PointCloud.ofRows(4, inside.toArray(long[][]::new)));
                    PointCloud atScale2 = query.points(label, PointFilter.ALL.withScale(2));
                    assertThat(atScale2.size()).isEqualTo(scaled.size());
                    int i = 0;
                    for (List<Long> row : scaled) {
                        assertThat(atScale2.point(i++)).containsExactly(row.get(0), row.get(1), row.get(2), row.get(3));
                    }
                }
            }
        }
    }

    private static int compareRows(List<Long> a, List<Long> b) {
        for (int d = 0; d < a.size(); d++) {
            int c = Long.compare(a.get(d), b.get(d));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    // ---- streaming and timing ----

    @Test
    void streamingGivesEveryPointInBoundedChunks() {
        PocaduckPoints data = PocaduckPoints.load();
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w0", data.clouds()));
            try (Query query = store.query()) {
                for (long label : data.labels()) {
                    Timed<PointCloud> streamed = ContractChecks.streamedPoints(query, label, 7);
                    assertThat(streamed.timing().pointsReturned()).isEqualTo(data.pointsOf(label).size());
                    assertThat(streamed.timing().backend()).isEqualTo(storageType());
                    assertSameMultiset(streamed.result(), data.pointsOf(label));
                }
                try (PointChunks early = query.streamPoints(data.labels()[0], 1)) {
                    assertThat(early.next().size()).isEqualTo(1);
                }
                assertThatThrownBy(() -> query.streamPoints(1L, 0)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("maxChunkPoints = 0");
            }
        }
    }

    @Test
    void everyOperationReportsItsTiming() {
        PocaduckPoints data = PocaduckPoints.load();
        long label = data.labels()[0];
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w", data.clouds()));
            try (Query query = store.query()) {
                List<Timed<?>> results = List.of(query.labelsTimed(), query.pointCountTimed(label),
                        query.blocksTimed(label), query.pointsTimed(label));
                for (Timed<?> timed : results) {
                    QueryTiming t = timed.timing();
                    assertThat(t.backend()).isEqualTo(storageType());
                    // The backend charged its work to phases (a backend that records none fails).
                    assertThat(t.indexLookup().plus(t.dataRead()).plus(t.decode())).as(t.operation()).isPositive();
                }
                assertThat(results.stream().map(t -> t.timing().operation()))
                        .containsExactly("labels", "pointCount", "blocks", "points");
                Timed<PointCloud> points = query.pointsTimed(label);
                assertThat(points.timing().pointsReturned()).isEqualTo(data.pointsOf(label).size());
                assertThat(points.timing().bytesRead()).isPositive();
                assertThat(points.timing().rowsRead()).isPositive();
                assertThat(query.pointCountTimed(label).result()).isEqualTo(data.pointsOf(label).size());
                // A per-block read of the label with the most blocks reads only that block's rows.
                long spread = data.labels()[0];
                for (long l : data.labels()) {
                    if (data.clouds().get(l).size() > data.clouds().get(spread).size()) {
                        spread = l;
                    }
                }
                assertThat(data.clouds().get(spread)).hasSizeGreaterThan(2);
                String block = data.clouds().get(spread).keySet().iterator().next();
                Timed<PointCloud> whole = query.pointsTimed(spread);
                Timed<PointCloud> some = query.pointsTimed(spread, Set.of(block));
                assertThat(some.timing().operation()).isEqualTo("points");
                assertThat(some.timing().backend()).isEqualTo(storageType());
                assertThat(some.timing().pointsReturned()).isEqualTo(data.clouds().get(spread).get(block).size());
                assertThat(some.timing().bytesRead()).isPositive();
                assertThat(some.timing().rowsRead()).as("rows of one block, fewer than the label's")
                        .isPositive().isLessThan(whole.timing().rowsRead());
            }
        }
    }

    // ---- capabilities ----

    @Test
    void optimizeIsRefusedNamingTheCapabilityAndChangesNothing() {
        PocaduckPoints data = PocaduckPoints.load();
        try (Store store = PocaDuck.open(freshConfig())) {
            writeWorkers(store, Map.of("w", data.clouds()));
            // No backend implements OPTIMIZE yet: one that declares it adds its own test, and this
            // fails until it does.
            assertThat(store.supports(Capability.OPTIMIZE)).isFalse();
            assertThat(store.capabilities()).doesNotContain(Capability.OPTIMIZE);
            assertThatThrownBy(store::optimize).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("OPTIMIZE").hasMessageContaining(storageType());
            // The refused call changed nothing.
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(data.labels());
                for (long label : data.labels()) {
                    assertSameMultiset(query.points(label), data.pointsOf(label));
                    assertThat(query.blocks(label)).containsExactlyElementsOf(data.clouds().get(label).keySet());
                }
            }
        }
    }

    // ---- bad input: clear errors, nothing stored lost ----

    @Test
    void badWritesFailClearlyAndLoseNothing() {
        StorageConfig config = freshConfig();
        PointCloud kept = cloud(3, 1, 2, 3);
        try (Store store = PocaDuck.open(config)) {
            try (Ingestor ingestor = store.ingestor("w")) {
                ingestor.write(1L, "b", kept);
                assertThatThrownBy(() -> ingestor.write(2L, null, kept)).isInstanceOf(NullPointerException.class)
                        .hasMessageContaining("blockId");
                assertThatThrownBy(() -> ingestor.write(2L, "  ", kept)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("block id is blank").hasMessageContaining("label 2");
                assertThatThrownBy(() -> ingestor.write(2L, "", kept)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ingestor.write(2L, "b", (PointCloud) null)).isInstanceOf(NullPointerException.class);
                assertThatThrownBy(() -> ingestor.write(2L, "b", new long[] {1, 2, 3, 4}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("4 values is not a multiple of the store's D = 3");
                assertThatThrownBy(() -> PointCloud.wrap(new long[] {1, 2, 3, 4}, 3))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("4 values is not a multiple of D = 3");
                assertThatThrownBy(() -> ingestor.write(2L, "b", cloud(4, 1, 2, 3, 4)))
                        .isInstanceOf(SchemaMismatchException.class)
                        .hasMessageContaining("D = 4").hasMessageContaining("D = 3");
                // The ingestor still works after rejected writes.
                ingestor.write(1L, "c", kept);
                ingestor.commit();
            }
            // A second worker with another D is rejected too.
            try (Ingestor other = store.ingestor("other")) {
                assertThatThrownBy(() -> other.write(3L, "b", cloud(2, 1, 2)))
                        .isInstanceOf(SchemaMismatchException.class);
            }
            Ingestor closed = store.ingestor("late");
            closed.close();
            closed.close();
            assertThatThrownBy(() -> closed.write(4L, "b", kept)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> store.ingestor("bad id/../x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad id/../x");
            try (Ingestor twice = store.ingestor("twice")) {
                assertThatThrownBy(() -> store.ingestor("twice")).isInstanceOf(WorkerBusyException.class)
                        .hasMessageContaining("twice");
                twice.write(5L, "b", kept);
                twice.commit();
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(1L, 5L);
                assertThat(query.pointCount(1L)).isEqualTo(2);
                assertThat(query.blocks(1L)).containsExactly("b", "c");
            }
        }
        // A config declaring another schema cannot open the store, and changes nothing.
        StorageConfig otherSchema = config.toBuilder().schema(PointSchema.parse("x,y,z,t")).build();
        assertThatThrownBy(() -> PocaDuck.open(otherSchema)).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("x,y,z,t");
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(1L, 5L);
            assertThat(query.points(1L).size()).isEqualTo(2);
        }
    }

    @Test
    void useAfterCloseFailsAndCloseIsIdempotent() {
        Store store = PocaDuck.open(freshConfig());
        writeWorkers(store, Map.of("w", one(1L, "b", cloud(3, 1, 2, 3))));
        ContractChecks.assertCloseIsIdempotentAndUseAfterCloseFails(store.query());
        Query open = store.query();
        Ingestor ingestor = store.ingestor("left-open");
        ingestor.write(2L, "b", cloud(3, 1, 1, 1));
        store.close();
        store.close();
        assertThatThrownBy(open::labels).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ingestor.write(2L, "b", cloud(3, 1, 1, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::query).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.ingestor("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::consolidate).isInstanceOf(IllegalStateException.class);
        // The ingestor left open was aborted by closing the store: its output is not committed.
        try (Store again = PocaDuck.openExisting(store.config())) {
            again.consolidate();
            try (Query q = again.query()) {
                assertThat(q.labels()).containsExactly(1L);
            }
        }
    }
}
