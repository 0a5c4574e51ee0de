package org.pocaduck.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pocaduck.LabelSummaries;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.volume.VolumeException;

/**
 * The scan engine on its own, into real stores ({@code memory} and {@code parquet-duckdb}): every
 * voxel of a real volume under its block, shares of a job array adding up to one scan, labels
 * from 2^63 up, background, attributes, the memory budget's refusal and what a failed scan leaves.
 */
class TestScanner {
    private static final Path FIB19 = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");
    private static final long MIB = 1L << 20;

    @TempDir
    Path tempDir;

    private StorageConfig store(String storageType) {
        String location = storageType.equals("memory") ? "scan-" + UUID.randomUUID()
                : tempDir.resolve("store-" + UUID.randomUUID()).toString();
        return StorageConfig.builder(storageType).location(location).build();
    }

    private static Scanner.Settings settings(Path volume, int blockX, int blockY, int blockZ, boolean keepBackground,
            long maxMemory, int threads, int workerIndex, int workerCount) {
        return new Scanner.Settings(new Scanner.Spec(volume, Optional.empty(), Map.of(), List.of(), blockX, blockY,
                blockZ, keepBackground, maxMemory), threads, workerIndex, workerCount, "scan");
    }

    /** Each label's points by block id, computed voxel by voxel from the volume. */
    private static Map<Long, Map<String, List<long[]>>> expectedByBlock(RawLabelVolume volume, int blockX,
            int blockY, int blockZ, boolean keepBackground) {
        Map<Long, Map<String, List<long[]>>> expected = new TreeMap<>(Long::compareUnsigned);
        int i = 0;
        for (int z = 0; z < volume.sizeZ(); z++) {
            for (int y = 0; y < volume.sizeY(); y++) {
                for (int x = 0; x < volume.sizeX(); x++, i++) {
                    long label = volume.labels()[i];
                    if (label != 0 || keepBackground) {
                        String block = x / blockX + "_" + y / blockY + "_" + z / blockZ;
                        expected.computeIfAbsent(label, l -> new TreeMap<>())
                                .computeIfAbsent(block, b -> new ArrayList<>()).add(new long[] {x, y, z});
                    }
                }
            }
        }
        return expected;
    }

    private static void assertStoreHolds(Query query, Map<Long, Map<String, List<long[]>>> expected) {
        assertThat(query.labels()).containsExactly(expected.keySet().stream().mapToLong(Long::longValue).toArray());
        expected.forEach((label, blocks) -> {
            assertThat(query.blocks(label)).as("blocks of %s", Labels.format(label))
                    .containsExactlyElementsOf(blocks.keySet());
            blocks.forEach((block, points) -> assertThat(query.points(label, Set.of(block)).sorted())
                    .as("points of %s in block %s", Labels.format(label), block)
                    .isEqualTo(PointCloud.ofRows(3, points.toArray(long[][]::new)).sorted()));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "parquet-duckdb"})
    void everyVoxelOfARealVolumeIsStoredUnderItsBlock(String storageType) {
        RawLabelVolume volume = RawLabelVolume.read(FIB19);
        Map<Long, Map<String, List<long[]>>> expected = expectedByBlock(volume, 20, 24, 28, false);
        long pairs = expected.values().stream().mapToLong(Map::size).sum();
        long points = expected.values().stream().flatMap(m -> m.values().stream()).mapToLong(List::size).sum();
        StorageConfig config = store(storageType);
        try (Scanner scanner = new Scanner(settings(FIB19, 20, 24, 28, false, 256 * MIB, 3, 0, 1));
                Store store = PocaDuck.open(config)) {
            assertThat(scanner.format()).isEqualTo("raw");
            assertThat(scanner.blocks()).isEqualTo(4 * 3 * 3);
            AtomicLong done = new AtomicLong();
            Scanner.Result result = scanner.run(store, done::addAndGet);
            assertThat(done.get()).isEqualTo(36);
            assertThat(result.blocks()).isEqualTo(36);
            assertThat(result.points()).isEqualTo(points);
            assertThat(result.writes()).as("one write per label and block: the slabs are a block deep")
                    .isEqualTo(pairs);
            assertThat(result.workerIds()).containsExactly("scan-0-of-1-t0", "scan-0-of-1-t1", "scan-0-of-1-t2");
            assertThat(store.committedWorkers()).containsExactlyElementsOf(result.workerIds());
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.stats().labelBlockPairs()).isEqualTo(pairs);
                assertThat(query.schema()).contains(new PointSchema(List.of("x", "y", "z")));
                assertStoreHolds(query, expected);
            }
        }
    }

    @Test
    void theSharesOfAJobArrayTogetherEqualTheLabelStatsOfTheVolume() {
        Path volume = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");
        LabelStats stats = LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));
        StorageConfig config = store("parquet-duckdb");
        long blocks = 0;
        long points = 0;
        try (Store store = PocaDuck.open(config)) {
            for (int worker = 0; worker < 3; worker++) {
                try (Scanner scanner = new Scanner(settings(volume, 64, 64, 64, true, 512 * MIB, 2, worker, 3))) {
                    Scanner.Result result = scanner.run(store, n -> { });
                    assertThat(result.workerIds()).containsExactly("scan-" + worker + "-of-3-t0",
                            "scan-" + worker + "-of-3-t1");
                    blocks += result.blocks();
                    points += result.points();
                }
            }
            store.consolidate();
            try (Query query = store.query(); LabelSummaries summaries = query.labelSummaries()) {
                assertThat(stats.differences(summaries, true)).isEmpty();
            }
        }
        assertThat(blocks).isEqualTo(4 * 4 * 4);
        assertThat(points).isEqualTo(250L * 250 * 250).isEqualTo(stats.totalVoxels());
    }

    @Test
    void labelsFromTwoToTheSixtyThreeUpAreStoredAndBackgroundIsSkippedUnlessKept() throws IOException {
        long half = Long.MIN_VALUE;
        long max = Labels.MAX_LABEL;
        long[] labels = new long[5 * 6 * 7];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = switch (i % 7 / 2) {
                case 0 -> 0L;
                case 1 -> half;
                case 2 -> i < 100 ? max : half + 1;
                default -> 1L;
            };
        }
        Path volume = rawVolume("high-labels", 5, 6, 7, labels);
        RawLabelVolume read = RawLabelVolume.read(volume);
        for (boolean keepBackground : new boolean[] {false, true}) {
            StorageConfig config = store("memory");
            try (Scanner scanner = new Scanner(settings(volume, 3, 3, 3, keepBackground, 64 * MIB, 2, 0, 1));
                    Store store = PocaDuck.open(config)) {
                Scanner.Result result = scanner.run(store, n -> { });
                long background = java.util.Arrays.stream(labels).filter(l -> l == 0).count();
                assertThat(result.points()).isEqualTo(labels.length - (keepBackground ? 0 : background));
                store.consolidate();
                try (Query query = store.query()) {
                    if (keepBackground) {
                        assertThat(query.labels()).containsExactly(0L, 1L, half, half + 1, max);
                    } else {
                        assertThat(query.labels()).containsExactly(1L, half, half + 1, max);
                    }
                    assertStoreHolds(query, expectedByBlock(read, 3, 3, 3, keepBackground));
                }
            }
        }
    }

    @Test
    void attributeVolumesBecomeDimensionsAndMustHaveTheLabelVolumesShape() throws IOException {
        long[] labels = new long[4 * 4 * 4];
        long[] attribute = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3 + 1;
            attribute[i] = -1000 - i;
        }
        Path volume = rawVolume("labels", 4, 4, 4, labels);
        Path values = rawVolume("values", 4, 4, 4, attribute);
        Path other = rawVolume("other", 4, 4, 5, new long[4 * 4 * 5]);
        List<Scanner.Attribute> attributes = List.of(new Scanner.Attribute("value", values));
        Scanner.Spec spec = new Scanner.Spec(volume, Optional.empty(), Map.of(), attributes, 2, 2, 2, false, 64 * MIB);
        assertThat(spec.schema()).isEqualTo(new PointSchema(List.of("x", "y", "z", "value")));
        StorageConfig config = Scanner.withScanSchema(store("memory"), attributes);
        try (Scanner scanner = new Scanner(new Scanner.Settings(spec, 1, 0, 1, "scan"));
                Store store = PocaDuck.open(config)) {
            scanner.run(store, n -> { });
            store.consolidate();
            try (Query query = store.query()) {
                PointCloud points = query.points(2L);
                assertThat(points.dimensions()).isEqualTo(4);
                assertThat(points.size()).isEqualTo(21);
                for (int p = 0; p < points.size(); p++) {
                    long index = (points.get(p, 2) * 4 + points.get(p, 1)) * 4 + points.get(p, 0);
                    assertThat(points.get(p, 3)).isEqualTo(-1000 - index);
                    assertThat(index % 3).isEqualTo(1);
                }
            }
        }
        assertThatThrownBy(() -> new Scanner(new Scanner.Settings(new Scanner.Spec(volume, Optional.empty(), Map.of(),
                List.of(new Scanner.Attribute("other", other)), 2, 2, 2, false, 64 * MIB), 1, 0, 1, "scan")))
                .isInstanceOf(VolumeException.class)
                .hasMessage("Cannot scan with attribute 'other' from " + other + ": its shape (z, y, x) = (4, 4, 5) "
                        + "differs from the shape (z, y, x) = (4, 4, 4) of " + volume);
        StorageConfig declared = store("memory").toBuilder().schema(PointSchema.parse("x,y,z,sv")).build();
        assertThatThrownBy(() -> Scanner.withScanSchema(declared, attributes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan into store memory:" + declared.location() + ": it declares dimensions "
                        + "x,y,z,sv but the scan writes x,y,z,value (x, y, z, then the attribute names)");
    }

    @Test
    void aBudgetTooSmallForOneSliceIsRefusedNamingTheBudgetItNeeds() {
        Path volume = SharedData.resolve("neuroproof_ts2/gt_supervoxels.u64.raw.gz");
        String refusal = "Cannot scan " + volume + " within --max-memory %s: it needs at least 95MiB (two slab "
                + "buffers of one slice of 250 x 250 voxels for 1 volume(s), 2 worker(s)' block scratch and 1MiB of "
                + "ingest buffer each, in the heap's usable part); raise --max-memory or use smaller blocks or fewer "
                + "workers";
        assertThatThrownBy(() -> new Scanner(settings(volume, 64, 64, 64, false, 40 * MIB, 2, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(refusal, "40MiB");
        assertThatThrownBy(() -> new Scanner(settings(volume, 64, 64, 64, false, 94 * MIB, 2, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(refusal, "94MiB");
        // The budget named is enough: one slice per slab and at least 1 MiB per ingestor.
        try (Scanner scanner = new Scanner(settings(volume, 64, 64, 64, false, 95 * MIB, 2, 0, 1))) {
            assertThat(scanner.slabDepth()).isGreaterThanOrEqualTo(1);
            assertThat(scanner.ingestorBytes()).isGreaterThanOrEqualTo(Scanner.MIN_INGESTOR_BYTES);
        }
    }

    @Test
    void aScanThatFailsCommitsNothingAndKeepsTheWorkersEarlierOutput() {
        StorageConfig config = store("parquet-duckdb");
        try (Store store = PocaDuck.open(config)) {
            try (Scanner scanner = new Scanner(settings(FIB19, 32, 32, 32, false, 256 * MIB, 2, 0, 1))) {
                scanner.run(store, n -> { });
            }
            store.consolidate();
            long[] before;
            try (Query query = store.query()) {
                before = query.labels();
            }
            try (Scanner scanner = new Scanner(settings(FIB19, 16, 16, 16, false, 256 * MIB, 2, 0, 1))) {
                AtomicLong done = new AtomicLong();
                assertThatThrownBy(() -> scanner.run(store, n -> {
                    if (done.addAndGet(n) >= 3) {
                        throw new IllegalStateException("test: stop after 3 blocks");
                    }
                })).isInstanceOf(IllegalStateException.class).hasMessage("test: stop after 3 blocks");
            }
            store.consolidate();
            try (Query query = store.query()) {
                assertThat(query.labels()).containsExactly(before);
                assertThat(query.blocks(before[0])).allMatch(b -> b.matches("[01]_[01]_[01]"));
            }
            assertThat(store.committedWorkers()).containsExactly("scan-0-of-1-t0", "scan-0-of-1-t1");
        }
    }

    @Test
    void settingsThatBreakARuleAreRefusedNamingTheValue() {
        Scanner.Spec spec = new Scanner.Spec(FIB19, Optional.empty(), Map.of(), List.of(), 8, 8, 8, false, 64 * MIB);
        assertThat(new Scanner.Settings(spec, 4, 1, 3, "spark-abc").workerId(2)).isEqualTo("spark-abc-1-of-3-t2");
        assertThatThrownBy(() -> new Scanner.Settings(spec, 1, 0, 1, "bad name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan with run name 'bad name': it must be 1 to 80 characters of [A-Za-z0-9._-], "
                        + "starting with a letter or digit (it starts every worker id)");
        assertThatThrownBy(() -> new Scanner.Settings(spec, 0, 0, 1, "scan"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan with 0 workers: at least 1 is needed");
        assertThatThrownBy(() -> new Scanner.Settings(spec, 1, 3, 3, "scan"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan as worker 3 of 3: the index must be 0 to count-1 and the count at least 1");
        assertThatThrownBy(() -> new Scanner.Spec(FIB19, Optional.empty(), Map.of(), List.of(), 8, 0, 8, false, MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan with block size (x, y, z) = (8, 0, 8): every size must be at least 1");
        assertThatThrownBy(() -> new Scanner.Spec(FIB19, Optional.empty(), Map.of(), List.of(), 2048, 2048, 1024,
                false, MIB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot scan with block size (x, y, z) = (2048, 2048, 1024): a block's points would "
                        + "exceed one Java array");
    }

    /** Writes a gzip-compressed raw volume with its sidecar, as the shared data's. */
    private Path rawVolume(String name, int sizeZ, int sizeY, int sizeX, long[] labels) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(labels.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long label : labels) {
            bytes.putLong(label);
        }
        Path data = tempDir.resolve(name + ".u64.raw.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(data))) {
            out.write(bytes.array());
        }
        Files.writeString(tempDir.resolve(name + ".json"), "{\"shape_zyx\": [" + sizeZ + ", " + sizeY + ", " + sizeX
                + "], \"dtype\": \"uint64\", \"byte_order\": \"little\", \"compression\": \"gzip\"}");
        return data;
    }
}
