package org.pocaduck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pocaduck.testkit.ContractChecks.assertSameMultiset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pocaduck.Capability;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.ReadOption;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;

/**
 * The contract of read-only backends (stores without {@link Capability#WRITE}, such as
 * {@code pocaduck-python}, which reads the stores of the original Python PoCADuck in place): a
 * backend module extends this suite in a test class, gives it one or more existing stores with
 * what each holds ({@link StoreFixture}), and must pass it whole. Written against the public API
 * only; it never writes.
 *
 * <p>Every test runs once per fixture and checks one promise of the read API against the
 * fixture's expected points, so a new read method gets one new test here. The checks a writable
 * backend passes too live in {@link ContractChecks}, shared with {@link BackendContractTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ReadOnlyBackendContractTest {
    /** Chunk bounds the streaming tests ask for: one point, a few, more than any fixture's label. */
    private static final int[] CHUNK_SIZES = {1, 7, 1 << 20};

    /**
     * An existing store the backend reads, and what it holds.
     *
     * @param name the fixture's name in test reports
     * @param config opens the store; the suite only reads it
     * @param schema the store's point schema
     * @param clouds every label's points, by block id: the suite orders labels unsigned and block
     *     ids by {@link String#compareTo}; at least one label
     * @param committedWorkers the worker ids {@link Store#committedWorkers()} lists
     */
    public record StoreFixture(String name, StorageConfig config, PointSchema schema,
            Map<Long, Map<String, PointCloud>> clouds, Set<String> committedWorkers) {
        public StoreFixture {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(config, "config is null");
            Objects.requireNonNull(schema, "schema is null");
            Map<Long, Map<String, PointCloud>> sorted = new TreeMap<>(Long::compareUnsigned);
            clouds.forEach((label, blocks) -> sorted.put(label, Collections.unmodifiableMap(new TreeMap<>(blocks))));
            if (sorted.isEmpty()) {
                throw new IllegalArgumentException("Cannot use fixture " + name + ": it holds no labels");
            }
            clouds = Collections.unmodifiableMap(sorted);
            committedWorkers = Set.copyOf(committedWorkers);
        }

        /** @return the labels, in unsigned order */
        public long[] labels() {
            return clouds.keySet().stream().mapToLong(Long::longValue).toArray();
        }

        /** @return every point of a label, over its blocks */
        public PointCloud pointsOf(long label) {
            return PointCloud.concat(schema.dimensions(), new ArrayList<>(clouds.get(label).values()));
        }

        /** @return the totals a query of the store reports */
        public long points() {
            return clouds.values().stream().flatMap(m -> m.values().stream()).mapToLong(PointCloud::size).sum();
        }

        /** @return the number of (label, block) pairs */
        public long labelBlockPairs() {
            return clouds.values().stream().mapToLong(Map::size).sum();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** @return the storage type under test */
    protected abstract String storageType();

    /** @return the stores to check, each with what it holds; called once per test */
    protected abstract List<StoreFixture> fixtures();

    /**
     * A config of this storage type whose location holds no store.
     *
     * @param emptyDirectory an empty directory the backend may look in
     * @return the config; by default the location {@code emptyDirectory/no-store}
     */
    protected StorageConfig missingStoreConfig(Path emptyDirectory) {
        return StorageConfig.builder(storageType()).location(emptyDirectory.resolve("no-store")).build();
    }

    // ---- discovery, capabilities, refusals ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theFactoryIsFoundThroughServiceLoaderAndOpensTheStore(StoreFixture fixture) {
        ContractChecks.assertFoundByServiceLoader(storageType());
        try (Store store = PocaDuck.openExisting(fixture.config())) {
            assertThat(store.storageType()).isEqualTo(storageType());
        }
        try (Store store = PocaDuck.open(fixture.config()); Query query = store.query()) {
            assertThat(query.labelCount()).isEqualTo(fixture.clouds().size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void writeIsAbsentAndEveryWriteIsRefusedNamingItWithoutChangingTheStore(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config())) {
            assertThat(store.supports(Capability.WRITE)).isFalse();
            assertThat(store.capabilities()).doesNotContain(Capability.WRITE);
            assertThatThrownBy(() -> store.ingestor("w-new")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("WRITE").hasMessageContaining(storageType());
            assertThatThrownBy(() -> store.ingestor("w-new", Store.MIN_MEMORY_BUDGET_BYTES))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("WRITE");
            assertThatThrownBy(store::consolidate).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("WRITE").hasMessageContaining(storageType());
            assertThatThrownBy(() -> store.consolidate(Store.MIN_MEMORY_BUDGET_BYTES))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("WRITE");
            if (!store.supports(Capability.OPTIMIZE)) {
                assertThatThrownBy(store::optimize).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("OPTIMIZE").hasMessageContaining(storageType());
            }
            assertThat(store.committedWorkers()).containsExactlyElementsOf(new TreeSet<>(fixture.committedWorkers()));
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(fixture.labels());
                assertThat(query.stats().points()).isEqualTo(fixture.points());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void noStoreIsCreatedWhereNoneExists(StoreFixture fixture, @TempDir Path emptyDirectory) {
        StorageConfig missing = missingStoreConfig(emptyDirectory);
        assertThatThrownBy(() -> PocaDuck.openExisting(missing)).isInstanceOf(StoreNotFoundException.class);
        assertThatThrownBy(() -> PocaDuck.open(missing)).isInstanceOf(StoreNotFoundException.class);
        assertThat(emptyDirectory).isEmptyDirectory();
    }

    // ---- labels ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void labelsComeEachOnceInUnsignedOrder(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            long[] labels = query.labels();
            assertThat(labels).containsExactly(fixture.labels());
            long[] sorted = labels.clone();
            Labels.sortUnsigned(sorted);
            assertThat(labels).containsExactly(sorted);
            assertThat(query.labelCount()).isEqualTo(fixture.clouds().size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void labelSummariesMatchEachLabelsPointCountAndBlocks(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            List<LabelSummary> summaries = new ArrayList<>();
            try (LabelSummaries stream = query.labelSummaries()) {
                stream.forEachRemaining(summaries::add);
                assertThat(stream.hasNext()).isFalse();
                assertThat(stream.timing().backend()).isEqualTo(storageType());
            }
            List<LabelSummary> expected = new ArrayList<>();
            fixture.clouds().forEach((label, blocks) -> expected.add(new LabelSummary(label,
                    blocks.values().stream().mapToLong(PointCloud::size).sum(), blocks.size())));
            assertThat(summaries).containsExactlyElementsOf(expected);
            for (LabelSummary summary : summaries) {
                assertThat(query.pointCount(summary.label())).isEqualTo(summary.pointCount());
                assertThat(query.blocks(summary.label())).hasSize((int) summary.blockCount());
            }
        }
    }

    // ---- points ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void pointsOfALabelAreAllItsBlocksPoints(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            for (long label : fixture.labels()) {
                PointCloud expected = fixture.pointsOf(label);
                assertThat(query.pointCount(label)).as("point count of %s", Labels.format(label))
                        .isEqualTo(expected.size());
                assertThat(query.blocks(label)).as("blocks of %s", Labels.format(label))
                        .containsExactlyElementsOf(fixture.clouds().get(label).keySet());
                assertSameMultiset(query.points(label), expected);
                assertThat(query.points(label, ReadOption.DISTINCT)).isEqualTo(expected.distinct());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void streamPointsGivesEveryPointInBoundedChunks(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            for (long label : fixture.labels()) {
                for (int chunkPoints : CHUNK_SIZES) {
                    Timed<PointCloud> streamed = ContractChecks.streamedPoints(query, label, chunkPoints);
                    assertSameMultiset(streamed.result(), fixture.pointsOf(label));
                    assertThat(streamed.timing().backend()).isEqualTo(storageType());
                    assertThat(streamed.timing().pointsReturned()).isEqualTo(fixture.pointsOf(label).size());
                }
            }
            assertThatThrownBy(() -> query.streamPoints(fixture.labels()[0], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChunkPoints = 0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void streamBlocksGivesEachBlockWholeInBlockIdOrderInBoundedChunks(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            for (long label : fixture.labels()) {
                Map<String, PointCloud> expected = fixture.clouds().get(label);
                for (int chunkPoints : CHUNK_SIZES) {
                    Timed<Map<String, PointCloud>> streamed = ContractChecks.streamedBlocks(query, label, chunkPoints);
                    assertThat(streamed.result().keySet()).containsExactlyElementsOf(expected.keySet());
                    expected.forEach((block, cloud) -> assertSameMultiset(streamed.result().get(block), cloud));
                    assertThat(streamed.timing().operation()).isEqualTo("streamBlocks");
                    assertThat(streamed.timing().backend()).isEqualTo(storageType());
                    assertThat(streamed.timing().pointsReturned()).isEqualTo(fixture.pointsOf(label).size());
                }
            }
            assertThatThrownBy(() -> query.streamBlocks(fixture.labels()[0], 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChunkPoints = 0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void pointsOfSomeBlocksAreThoseBlocksPointsOnly(StoreFixture fixture) {
        int dimensions = fixture.schema().dimensions();
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            for (long label : fixture.labels()) {
                Map<String, PointCloud> blocks = fixture.clouds().get(label);
                List<String> ids = new ArrayList<>(blocks.keySet());
                for (String id : ids) {
                    assertSameMultiset(query.points(label, Set.of(id)), blocks.get(id));
                }
                Set<String> everyOther = new HashSet<>();
                List<PointCloud> want = new ArrayList<>();
                for (int i = 0; i < ids.size(); i += 2) {
                    everyOther.add(ids.get(i));
                    want.add(blocks.get(ids.get(i)));
                }
                everyOther.add("no-such-block");
                assertSameMultiset(query.points(label, everyOther), PointCloud.concat(dimensions, want));
                assertSameMultiset(query.points(label, blocks.keySet()), fixture.pointsOf(label));
                PointCloud none = query.points(label, Set.of("no-such-block"));
                assertThat(none.isEmpty()).isTrue();
                assertThat(none.dimensions()).isEqualTo(dimensions);
                assertThat(query.points(label, Set.of()).isEmpty()).isTrue();
            }
            assertThatThrownBy(() -> query.points(fixture.labels()[0], (Set<String>) null))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void unknownLabelsGiveEmptyResults(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            for (long unknown : new long[] {0L, 1L, 42L, Long.MAX_VALUE, Long.MIN_VALUE, Labels.MAX_LABEL,
                fixture.labels()[0] + 1}) {
                if (!fixture.clouds().containsKey(unknown)) {
                    ContractChecks.assertUnknownLabelIsEmpty(query, unknown, fixture.schema().dimensions());
                }
            }
        }
    }

    // ---- timing, totals, schema ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyReadReportsItsTiming(StoreFixture fixture) {
        long label = fixture.labels()[0];
        String block = fixture.clouds().get(label).keySet().iterator().next();
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            List<Timed<?>> results = List.of(query.labelsTimed(), query.pointCountTimed(label),
                    query.blocksTimed(label), query.pointsTimed(label), query.pointsTimed(label, Set.of(block)));
            assertThat(results.stream().map(t -> t.timing().operation()))
                    .containsExactly("labels", "pointCount", "blocks", "points", "points");
            for (Timed<?> timed : results) {
                QueryTiming timing = timed.timing();
                assertThat(timing.backend()).isEqualTo(storageType());
                // The backend charged its work to phases (a backend that records none fails).
                assertThat(timing.indexLookup().plus(timing.dataRead()).plus(timing.decode()))
                        .as(timing.operation()).isPositive();
                assertThat(timing.total()).as(timing.operation()).isPositive();
            }
            Timed<PointCloud> points = query.pointsTimed(label);
            assertThat(points.timing().pointsReturned()).isEqualTo(fixture.pointsOf(label).size());
            assertThat(points.timing().rowsRead()).isPositive();
            assertThat(query.pointsTimed(label, Set.of(block)).timing().pointsReturned())
                    .isEqualTo(fixture.clouds().get(label).get(block).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void statsAndSchemaDescribeTheStore(StoreFixture fixture) {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query()) {
            assertThat(store.schema()).contains(fixture.schema());
            assertThat(query.schema()).contains(fixture.schema());
            StoreStats stats = query.stats();
            assertThat(stats.labels()).isEqualTo(fixture.clouds().size());
            assertThat(stats.points()).isEqualTo(fixture.points());
            assertThat(stats.labelBlockPairs()).isEqualTo(fixture.labelBlockPairs());
        }
    }

    // ---- sharing and closing ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void oneQueryServesManyThreadsBesideASecondStoreOnTheSameFiles(StoreFixture fixture) throws Exception {
        try (Store store = PocaDuck.openExisting(fixture.config()); Query query = store.query();
                Store other = PocaDuck.openExisting(fixture.config()); Query otherQuery = other.query()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Boolean>> reads = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (long label : fixture.labels()) {
                        Query reader = round % 2 == 0 ? query : otherQuery;
                        reads.add(() -> reader.points(label).sorted().equals(fixture.pointsOf(label).sorted())
                                && reader.blocks(label).equals(List.copyOf(fixture.clouds().get(label).keySet())));
                    }
                }
                for (Future<Boolean> read : pool.invokeAll(reads)) {
                    assertThat(read.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void closeIsIdempotentAndUseAfterCloseFails(StoreFixture fixture) {
        Store store = PocaDuck.openExisting(fixture.config());
        ContractChecks.assertCloseIsIdempotentAndUseAfterCloseFails(store.query());
        Query open = store.query();
        store.close();
        store.close();
        assertThatThrownBy(open::labels).as("a query left open is closed with its store")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::query).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(store::committedWorkers).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(store::schema).isInstanceOf(IllegalStateException.class);
    }
}
