package org.pocaduck.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.ConfigurationException;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummary;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.budget.MemoryBudget;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.PocaduckPoints;

/**
 * Migrations between real backends (parquet-duckdb, tabular on DuckDB, memory) of the real
 * point clouds of {@code shared/data/pocaduck_points}, plus labels and blocks that stress the
 * rules: labels at and above 2^63, a repeated (label, block), block ids whose String order
 * differs from their byte order, and one block larger than a chunk.
 */
class TestMigration {
    private static final PointSchema SCHEMA = PointSchema.parse("x,y,z,supervoxel_id");
    private static final long TWO_POW_63 = Long.MIN_VALUE;
    private static final long MAX = -1L;
    /** More points than one chunk of the migrator, in one block. */
    private static final int BIG = Migration.CHUNK_POINTS + 12_345;

    @TempDir
    Path dir;

    private StorageConfig parquet(String name) {
        return StorageConfig.builder("parquet-duckdb").location(dir.resolve(name)).build();
    }

    private StorageConfig tabular(String name) {
        return StorageConfig.builder("tabular").location(dir.resolve(name + ".duckdb").toString()).build();
    }

    private StorageConfig memory(String name) {
        return StorageConfig.builder("memory").location(dir.resolve(name).toString()).build();
    }

    /** Writes the real clouds by two workers, and the stress cases by a third; consolidates. */
    private StorageConfig source(StorageConfig config) {
        PocaduckPoints real = PocaduckPoints.load();
        try (Store store = PocaDuck.open(config.toBuilder().schema(SCHEMA).build())) {
            int i = 0;
            try (Ingestor w0 = store.ingestor("w0"); Ingestor w1 = store.ingestor("w1")) {
                for (Map.Entry<Long, Map<String, PointCloud>> label : real.clouds().entrySet()) {
                    for (Map.Entry<String, PointCloud> block : label.getValue().entrySet()) {
                        (i++ % 2 == 0 ? w0 : w1).write(label.getKey(), block.getKey(), block.getValue());
                    }
                }
                w0.commit();
                w1.commit();
            }
            try (Ingestor w2 = store.ingestor("w2")) {
                PointCloud repeated = PointCloud.ofRows(4, new long[] {1, 2, 3, MAX}, new long[] {1, 2, 3, MAX});
                w2.write(TWO_POW_63, "9_0_0", repeated);
                w2.write(TWO_POW_63, "9_0_0", repeated);
                w2.write(TWO_POW_63, "10_0_0", PointCloud.ofRows(4, new long[] {-1, 0, 7, 8}));
                w2.write(MAX, "\uD83D\uDE00", PointCloud.ofRows(4, new long[] {4, 5, 6, 7}));
                w2.write(MAX, "\uFF21", PointCloud.ofRows(4, new long[] {5, 6, 7, 8}));
                long[] big = new long[BIG * 4];
                for (int p = 0; p < BIG; p++) {
                    big[p * 4] = p;
                    big[p * 4 + 1] = p % 97;
                    big[p * 4 + 2] = p % 13;
                    big[p * 4 + 3] = 42;
                }
                w2.write(42L, "0_0_0", PointCloud.wrap(big, 4));
                w2.commit();
            }
            store.consolidate();
        }
        return config;
    }

    @Test
    void parquetToTabularToMemoryKeepsEveryPointBlockAndSchema() {
        StorageConfig parquet = source(parquet("source"));
        StorageConfig tabular = tabular("copy");
        MigrationResult first = Migration.from(parquet).to(tabular).workers(2).sharePoints(200).verify(true).run();
        assertThat(first.verification()).get().satisfies(v -> {
            assertThat(v.clean()).as("%s", v.mismatches()).isTrue();
            assertThat(v.labels()).isEqualTo(first.labels());
        });
        assertThat(first.points()).isEqualTo(787 + 5 + 2 + BIG);
        assertThat(first.pointsCopied()).isEqualTo(first.points());
        assertThat(first.shares()).isGreaterThan(2);
        assertThat(first.sharesSkipped()).isZero();

        StorageConfig memory = memory("copy-of-copy");
        MigrationResult second = Migration.from(tabular).to(memory).workers(3).run();
        assertThat(LabelStats.summariesOf(memory)).isEqualTo(LabelStats.summariesOf(parquet));
        try (Store store = PocaDuck.openExisting(memory); Query query = store.query()) {
            assertThat(query.schema()).contains(SCHEMA);
            assertThat(query.blocks(TWO_POW_63)).containsExactly("10_0_0", "9_0_0");
            assertThat(query.points(TWO_POW_63, java.util.Set.of("9_0_0")).size()).isEqualTo(4);
            assertThat(query.blocks(MAX)).containsExactly("\uD83D\uDE00", "\uFF21");
            assertThat(query.points(42L).sorted()).isEqualTo(pointsOf(parquet, 42L).sorted());
            assertThat(store.committedWorkers()).isNotEmpty().allMatch(w -> w.startsWith(second.workerPrefix()));
        }
        assertThat(Verification.between(parquet, memory).run().clean()).isTrue();
    }

    private static PointCloud pointsOf(StorageConfig config, long label) {
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            return query.points(label);
        }
    }

    @Test
    void aMigrationStoppedHalfWayResumesSkippingCommittedSharesAndEndsAsOneCleanRun() {
        StorageConfig parquet = source(parquet("source"));
        StorageConfig clean = tabular("clean");
        Migration.from(parquet).to(clean).workers(1).sharePoints(100).run();

        StorageConfig resumed = tabular("resumed");
        AtomicLong copied = new AtomicLong();
        MigrationListener crash = new MigrationListener() {
            @Override
            public void labelCopied(long points) {
                if (copied.incrementAndGet() == 6) {
                    throw new IllegalStateException("simulated crash after 6 labels");
                }
            }
        };
        assertThatThrownBy(() -> Migration.from(parquet).to(resumed).workers(1).sharePoints(100).listener(crash).run())
                .hasMessageContaining("simulated crash");
        int committedBefore;
        try (Store store = PocaDuck.openExisting(resumed)) {
            committedBefore = store.committedWorkers().size();
            assertThat(committedBefore).isBetween(1, 5);
        }
        MigrationResult rerun = Migration.from(parquet).to(resumed).workers(2).sharePoints(100).verify(true).run();
        assertThat(rerun.sharesSkipped()).isEqualTo(committedBefore);
        assertThat(rerun.pointsCopied()).isLessThan(rerun.points());
        assertThat(rerun.verification().orElseThrow().clean()).isTrue();
        assertThat(LabelStats.summariesOf(resumed)).isEqualTo(LabelStats.summariesOf(clean));
        assertThat(Verification.between(clean, resumed).run().clean()).isTrue();

        // A third run with the same arguments finds everything committed and changes nothing.
        MigrationResult again = Migration.from(parquet).to(resumed).sharePoints(100).run();
        assertThat(again.sharesSkipped()).isEqualTo(again.shares());
        assertThat(again.pointsCopied()).isZero();
        assertThat(LabelStats.summariesOf(resumed)).isEqualTo(LabelStats.summariesOf(clean));
    }

    @Test
    void selectedLabelsOnly() throws Exception {
        StorageConfig parquet = source(parquet("source"));
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "# two labels\n18446744073709551615\n\n 9223372036854775808 \n");
        StorageConfig copy = memory("selected");
        MigrationResult result = Migration.from(parquet).to(copy).labels(LabelSelection.read(file)).verify(true).run();
        assertThat(result.labels()).isEqualTo(2);
        assertThat(result.verification().orElseThrow().clean()).isTrue();
        assertThat(LabelStats.summariesOf(copy)).extracting(LabelSummary::label).containsExactly(TWO_POW_63, MAX);

        Files.writeString(file, "42\n12345\n");
        StorageConfig other = memory("missing");
        assertThatThrownBy(() -> Migration.from(parquet).to(other).labels(LabelSelection.read(file)).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12345")
                .hasMessageContaining("not in the source");
        Files.writeString(file, "42\n-3\n");
        assertThatThrownBy(() -> LabelSelection.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("'-3'");
    }

    @Test
    void refusalsWriteNothing() {
        StorageConfig parquet = source(parquet("source"));

        // Another schema in the destination: both named.
        StorageConfig otherSchema = parquet("other-schema");
        try (Store store = PocaDuck.open(otherSchema.toBuilder().schema(PointSchema.parse("x,y,z,w")).build())) {
            assertThat(store.schema()).isPresent();
        }
        assertThatThrownBy(() -> Migration.from(parquet).to(otherSchema).run())
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("x,y,z,supervoxel_id")
                .hasMessageContaining("x,y,z,w");
        assertThat(LabelStats.summariesOf(otherSchema)).isEmpty();
        try (Store store = PocaDuck.openExisting(otherSchema)) {
            assertThat(store.committedWorkers()).isEmpty();
        }

        // A source that does not exist: the destination is not even created.
        StorageConfig target = parquet("target");
        assertThatThrownBy(() -> Migration.from(parquet("nowhere")).to(target).run())
                .isInstanceOf(StoreNotFoundException.class).hasMessageContaining("nowhere");
        assertThat(dir.resolve("target")).doesNotExist();

        // Unknown storage type, either side.
        assertThatThrownBy(() -> Migration.from(parquet).to(StorageConfig.builder("vastdb").location("x").build()).run())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("vastdb");
        assertThatThrownBy(() -> Migration.from(StorageConfig.builder("nosuch").location("x").build()).to(target).run())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("nosuch");
        assertThat(dir.resolve("target")).doesNotExist();

        // Into itself.
        assertThatThrownBy(() -> Migration.from(parquet).to(parquet).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itself");

        // A destination holding a scan's output.
        StorageConfig used = memory("used");
        try (Store store = PocaDuck.open(used.toBuilder().schema(SCHEMA).build());
                Ingestor w = store.ingestor("scan-w0")) {
            w.write(7L, "b", PointCloud.ofRows(4, new long[] {1, 2, 3, 4}));
            w.commit();
        }
        assertThatThrownBy(() -> Migration.from(parquet).to(used).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scan-w0")
                .hasMessageContaining("empty store");
        try (Store store = PocaDuck.openExisting(used)) {
            assertThat(store.committedWorkers()).containsExactly("scan-w0");
        }

        // A memory budget that cannot give each of 2 threads a chunk of 4 values a point and 1 MiB
        // of ingest buffer names the figure needed, and that figure migrates.
        StorageConfig small = parquet("small-budget");
        long chunks = 2L * Migration.CHUNK_POINTS * 4 * Long.BYTES;
        long needed = MemoryBudget.budgetFor(chunks + 2 * Store.MIN_MEMORY_BUDGET_BYTES);
        assertThatThrownBy(() -> Migration.from(parquet).to(small).workers(2).sharePoints(1).maxMemory(40L << 20)
                .run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot migrate within --max-memory 40MiB: it needs at least " + MemoryBudget.format(needed)
                        + " (2 worker(s), each a chunk of 262144 points of 4 values and 1MiB of ingest buffer, in the "
                        + "heap's usable part); raise --max-memory or use fewer --workers; nothing was written");
        try (Store store = PocaDuck.openExisting(small)) {
            assertThat(store.committedWorkers()).isEmpty();
        }
        MigrationResult result = Migration.from(parquet).to(small).workers(2).sharePoints(1).maxMemory(needed).run();
        assertThat(result.pointsCopied()).isEqualTo(result.points());
        assertThat(Verification.between(parquet, small).run().clean()).isTrue();
    }

    @Test
    void verificationNamesEachKindOfDifference() {
        StorageConfig parquet = source(parquet("source"));
        StorageConfig copy = memory("copy");
        Migration.from(parquet).to(copy).run();
        // Damage the copy: one worker of its own rewrites labels (the store merges workers).
        try (Store store = PocaDuck.open(copy); Ingestor extra = store.ingestor("damage")) {
            extra.write(TWO_POW_63, "9_0_0", PointCloud.ofRows(4, new long[] {1, 2, 3, 4}));
            extra.write(5L, "b", PointCloud.ofRows(4, new long[] {1, 2, 3, 4}));
            extra.commit();
            store.consolidate();
        }
        VerificationResult result = Verification.between(parquet, copy).workers(2).run();
        assertThat(result.clean()).isFalse();
        assertThat(result.mismatchCount()).isEqualTo(2);
        assertThat(result.mismatches()).extracting(LabelMismatch::toString).containsExactly(
                "5: only in B (1 points)",
                "9223372036854775808: point count 5 in A, 6 in B");

        // Same count and blocks, one value changed; a block renamed; points swapped between blocks.
        StorageConfig a = memory("a");
        StorageConfig b = memory("b");
        try (Store sa = PocaDuck.open(a); Store sb = PocaDuck.open(b);
                Ingestor wa = sa.ingestor("w"); Ingestor wb = sb.ingestor("w")) {
            wa.write(1L, "b", PointCloud.ofRows(3, new long[] {1, 2, 3}, new long[] {1, 2, 3}));
            wb.write(1L, "b", PointCloud.ofRows(3, new long[] {1, 2, 3}, new long[] {1, 2, 4}));
            wa.write(2L, "b1", PointCloud.ofRows(3, new long[] {1, 2, 3}));
            wb.write(2L, "b2", PointCloud.ofRows(3, new long[] {1, 2, 3}));
            wa.write(3L, "b", PointCloud.ofRows(3, new long[] {3, 2, 1}, new long[] {1, 2, 3}));
            wb.write(3L, "b", PointCloud.ofRows(3, new long[] {1, 2, 3}, new long[] {3, 2, 1}));
            // The same points and blocks, two points in each other's block.
            wa.write(4L, "a", PointCloud.ofRows(3, new long[] {1, 2, 3}));
            wa.write(4L, "b", PointCloud.ofRows(3, new long[] {4, 5, 6}));
            wb.write(4L, "a", PointCloud.ofRows(3, new long[] {4, 5, 6}));
            wb.write(4L, "b", PointCloud.ofRows(3, new long[] {1, 2, 3}));
            wa.commit();
            wb.commit();
            sa.consolidate();
            sb.consolidate();
        }
        VerificationResult values = Verification.between(a, b).run();
        assertThat(values.mismatches()).extracting(LabelMismatch::toString).containsExactly(
                "1: checksum of the points differs (same count and blocks, other values)",
                "2: block ids differ: A has b1, B has b2 at position 0",
                "4: checksum of the points differs (same count and blocks, other values)");
        assertThat(values.labels()).isEqualTo(4);
        assertThat(Verification.between(a, b).labels(LabelSelection.of(3L, 99L)).run().mismatches())
                .extracting(LabelMismatch::toString).containsExactly("99: selected but in neither store");
    }
}
