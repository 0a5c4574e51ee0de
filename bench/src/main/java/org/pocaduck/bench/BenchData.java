package org.pocaduck.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.testkit.VolumeBlocks;

/**
 * What the benchmarks share: the neuroproof volumes, the labels they read, and the stores they
 * read from, built once per storage type and volume and reused across JMH forks when persistent.
 *
 * <p>System properties: {@code pocaduck.shared.data} (the shared data directory, see
 * {@link SharedData}), {@code pocaduck.bench.dir} (where stores are kept; default
 * {@code <tmp>/pocaduck-bench}), {@code pocaduck.bench.trino} (the {@code trino://host:port} of a
 * running Trino with a {@code memory} catalog, for storage {@code tabular-trino}).
 */
final class BenchData {
    /** Every voxel of a 250^3 neuroproof volume is written, label 0 included. */
    static final int VOLUME_POINTS = 250 * 250 * 250;
    /** Random labels in the mix, drawn with {@link #SEED}. */
    static final int MIX_LABELS = 256;
    static final long SEED = 20261121L;
    /** Points per chunk when streaming. */
    static final int CHUNK_POINTS = 65_536;
    /** The storage types compared ({@code tabular-trino} is {@code tabular} on Trino). */
    static final String MEMORY = "memory";
    static final String PARQUET_DUCKDB = "parquet-duckdb";
    static final String TABULAR = "tabular";
    static final String TABULAR_TRINO = "tabular-trino";
    /** {@code tabular} on embedded DuckDB with the {@code array} encoding (ARRAY(BIGINT) payloads). */
    static final String TABULAR_ARRAY = "tabular-array";

    private BenchData() {
    }

    /**
     * The labels a benchmark reads, from the volume's {@code label_stats.csv}.
     *
     * @param small the 10th percentile of point counts
     * @param median the 50th percentile
     * @param largest the largest label
     * @param mix {@link #MIX_LABELS} labels drawn uniformly with {@link #SEED}
     * @param all every label, in unsigned order
     */
    record Labels(long small, long median, long largest, long[] mix, long[] all) {
        /** @return every label once, in an order shuffled with {@link #SEED} */
        long[] allShuffled() {
            long[] shuffled = all.clone();
            SplittableRandom random = new SplittableRandom(SEED);
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            return shuffled;
        }
    }

    /**
     * Labels by size: small is the 10th percentile of point counts, median the 50th, largest the
     * largest; the mix is {@link #MIX_LABELS} labels drawn uniformly with {@link #SEED}.
     */
    static Labels labels(String volume) {
        LabelStats stats = LabelStats.read(SharedData.resolve("neuroproof_ts2/" + volume + ".label_stats.csv"));
        List<LabelStats.Row> rows = new ArrayList<>(stats.byLabel().values());
        rows.sort(Comparator.comparingLong(LabelStats.Row::voxelCount).thenComparing(LabelStats.Row::label,
                Long::compareUnsigned));
        long[] all = rows.stream().mapToLong(LabelStats.Row::label).toArray();
        SplittableRandom random = new SplittableRandom(SEED);
        long[] mix = new long[MIX_LABELS];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = all[random.nextInt(all.length)];
        }
        return new Labels(all[all.length / 10], all[all.length / 2], all[all.length - 1], mix,
                Arrays.stream(all).sorted().toArray());
    }

    /**
     * The volume's blocks, each label's points grouped by 64^3 block (read-only). Cut anew on
     * every call: a benchmark keeps what it cut in its own state, for its trial.
     */
    static List<VolumeBlocks.Block> blocks(String volume) {
        return List.copyOf(VolumeBlocks.blocks(
                RawLabelVolume.read(SharedData.resolve("neuroproof_ts2/" + volume + ".u64.raw.gz"))));
    }

    static Path benchDir() {
        return Path.of(System.getProperty("pocaduck.bench.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "pocaduck-bench").toString()));
    }

    /**
     * The settings of a store of one storage type, named {@code name}.
     *
     * @throws IllegalStateException for {@code tabular-trino} without {@code pocaduck.bench.trino}
     */
    static StorageConfig config(String storage, String name) {
        return switch (storage) {
            case MEMORY -> StorageConfig.builder(MEMORY).location("bench-" + name).build();
            // Reads with the cache off: every read goes to the files.
            case PARQUET_DUCKDB -> StorageConfig.builder(PARQUET_DUCKDB).location(benchDir().resolve(name + ".pd"))
                    .option("cache_bytes", "0").build();
            case TABULAR -> StorageConfig.builder(TABULAR)
                    .location(benchDir().resolve(name + ".duckdb").toString()).build();
            case TABULAR_ARRAY -> StorageConfig.builder(TABULAR)
                    .location(benchDir().resolve(name + ".array.duckdb").toString()).option("encoding", "array").build();
            case TABULAR_TRINO -> StorageConfig.builder(TABULAR).location(trinoLocation())
                    .option("catalog", "memory").option("table", name.replace('-', '_'))
                    .option("max_statement_length", "8000000").build();
            default -> throw new IllegalArgumentException("Cannot benchmark storage " + storage
                    + ": expected one of memory, parquet-duckdb, tabular, tabular-array, tabular-trino");
        };
    }

    private static String trinoLocation() {
        String location = System.getProperty("pocaduck.bench.trino", "");
        if (location.isBlank()) {
            throw new IllegalStateException("Cannot benchmark storage tabular-trino: no Trino server given; start one"
                    + " with scripts/trino-server start and pass -Dpocaduck.bench.trino=trino://host:port"
                    + " (scripts/bench does this)");
        }
        return location;
    }

    /**
     * Opens the read store of a storage type and volume, writing the volume into it first (two
     * workers, then consolidation) unless it already holds every point. Rewriting uses the same
     * worker ids, so an interrupted earlier build is replaced, never added to.
     */
    static Store readStore(String storage, String volume) {
        StorageConfig config = config(storage, "read-" + volume);
        Store store = PocaDuck.open(config);
        try {
            long points;
            try (Query query = store.query()) {
                points = query.stats().points();
            }
            if (points != VOLUME_POINTS) {
                ingest(store, blocks(volume), 2);
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Writes every block through {@code workers} ingestors on as many threads (block i to worker
     * i mod workers), commits each, then consolidates.
     *
     * @return points written
     */
    static long ingest(Store store, List<VolumeBlocks.Block> blocks, int workers) {
        long points = write(store, blocks, workers);
        store.consolidate();
        return points;
    }

    /**
     * Writes every block through {@code workers} ingestors on as many threads (block i to worker
     * i mod workers) and commits each, without consolidating.
     *
     * @return points written
     */
    static long write(Store store, List<VolumeBlocks.Block> blocks, int workers) {
        if (workers == 1) {
            try (Ingestor ingestor = store.ingestor("bench-0")) {
                long points = VolumeBlocks.write(ingestor, blocks, 0, 1);
                ingestor.commit();
                return points;
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                results.add(pool.submit(() -> {
                    try (Ingestor ingestor = store.ingestor("bench-" + worker)) {
                        long points = VolumeBlocks.write(ingestor, blocks, worker, workers);
                        ingestor.commit();
                        return points;
                    }
                }));
            }
            long points = 0;
            for (Future<Long> result : results) {
                points += result.get();
            }
            return points;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Cannot ingest the benchmark volume: interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Cannot ingest the benchmark volume: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The Parquet files of the committed runs of a parquet-duckdb store, sorted: for every
     * {@code workers/<id>/CURRENT}, the {@code part-*.parquet} files of the run it names (layout:
     * docs/FORMAT.md, section parquet-duckdb).
     */
    static List<Path> parquetFiles(Path storeDirectory) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> workers = Files.list(storeDirectory.resolve("workers"))) {
            for (Path worker : workers.sorted().toList()) {
                Path current = worker.resolve("CURRENT");
                if (!Files.exists(current)) {
                    continue;
                }
                Path run = worker.resolve(Files.readString(current).strip());
                try (Stream<Path> parts = Files.list(run)) {
                    parts.filter(p -> p.getFileName().toString().matches("part-\\d+\\.parquet")).sorted()
                            .forEach(files::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the Parquet files of " + storeDirectory, e);
        }
        return files;
    }

    /** Deletes a file or directory tree if present. */
    static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }
}
