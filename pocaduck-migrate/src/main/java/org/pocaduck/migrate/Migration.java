package org.pocaduck.migrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pocaduck.Capability;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.LabelSelection;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.Store;
import org.pocaduck.budget.MemoryBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a store into another store of any storage type, through the public API only: it reads
 * the source with {@link Query#labelSummaries()} and {@link Query#streamLabels} (one stream per
 * share of labels) and writes with {@link Ingestor}s, so every backend pair works (parquet-duckdb, tabular on DuckDB
 * or Trino, memory, and read-only sources such as {@code pocaduck-python}).
 *
 * <h2>What is kept</h2>
 * Every point of every label with its block id, exactly as the source returns them, repeats
 * included; the destination's point schema is the source's (names and D). Workers and runs of
 * the source are not kept: the destination holds the migration's own worker ids.
 *
 * <h2>Shares, worker ids and resume</h2>
 * The source's label index (optionally restricted to a {@link LabelSelection.Listed}) is read once and
 * cut into shares: contiguous runs of labels in unsigned order, each closed when it holds at least
 * {@link #sharePoints(long)} points (a label is never split). Share {@code k} is written by the
 * destination worker id {@code migrate-<fingerprint>-<k>} and committed when all its labels are
 * copied; {@code <fingerprint>} is 12 hex digits of a hash of the source's label index (label,
 * point count, block count of each label), the selection and the share size. Threads take shares
 * in turn; a share's memory is bounded by the chunk size, whatever the size of its labels.
 *
 * <p>A migration stopped at any moment (an exception, {@code kill -9}, a lost node) and run again
 * with the same source, selection and share size computes the same shares and worker ids; it skips
 * the shares the destination already lists in {@link Store#committedWorkers()} (a commit is all
 * or nothing), rewrites the others (a commit replaces what that worker id committed before, so a
 * half-written share leaves nothing behind), and consolidates. The destination ends exactly as
 * after one clean run. The thread count may change between runs.
 *
 * <h2>Refusals, before anything is written</h2>
 * A source that does not exist, an unknown storage type or invalid option (from
 * {@link PocaDuck}), a read-only destination, the same store as source and destination, a
 * destination whose point schema differs from the source's (both named), selected labels missing
 * from the source, and a destination that holds committed output of any other worker ids (another
 * migration or a scan: migrate into an empty store, or rerun the migration that wrote it).
 *
 * <pre>{@code
 * MigrationResult result = Migration.from(parquetConfig).to(tabularConfig).workers(4).verify(true).run();
 * }</pre>
 *
 * <p>Not thread-safe to configure; one {@link #run()} at a time per destination.
 */
public final class Migration {
    private static final Logger LOG = LoggerFactory.getLogger(Migration.class);
    /** Default of {@link #sharePoints(long)}: 8 Mi points. */
    public static final long DEFAULT_SHARE_POINTS = 8L << 20;
    /** Points per chunk read from the source and written to the destination. */
    static final int CHUNK_POINTS = 1 << 18;
    /** The prefix of every worker id a migration writes. */
    public static final String WORKER_PREFIX = "migrate-";

    private final StorageConfig source;
    private StorageConfig destination;
    private int workers = Runtime.getRuntime().availableProcessors();
    private LabelSelection.Listed selection;
    private long sharePoints = DEFAULT_SHARE_POINTS;
    private boolean verify;
    private MigrationListener listener = MigrationListener.NONE;
    private Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
    private OptionalLong maxMemory = OptionalLong.empty();

    private Migration(StorageConfig source) {
        this.source = Objects.requireNonNull(source, "source config is null");
    }

    /** @return a migration reading the existing store of this config */
    public static Migration from(StorageConfig source) {
        return new Migration(source);
    }

    /** @param destination the store to write; created if it does not exist */
    public Migration to(StorageConfig destination) {
        this.destination = Objects.requireNonNull(destination, "destination config is null");
        return this;
    }

    /**
     * @param workers threads copying shares at once, at least 1 (default: the number of
     *     processors); it does not change the shares, so a rerun may use another count
     * @throws IllegalArgumentException if less than 1
     */
    public Migration workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("Cannot migrate with " + workers + " workers: at least 1 is needed");
        }
        this.workers = workers;
        return this;
    }

    /** Migrates only these labels; each must be in the source. */
    public Migration labels(LabelSelection.Listed selection) {
        this.selection = Objects.requireNonNull(selection, "selection is null");
        return this;
    }

    /**
     * @param sharePoints points per share (a share closes at the first label that reaches it),
     *     at least 1; default {@link #DEFAULT_SHARE_POINTS}. Part of the fingerprint: a rerun must
     *     use the same value to resume.
     * @throws IllegalArgumentException if less than 1
     */
    public Migration sharePoints(long sharePoints) {
        if (sharePoints < 1) {
            throw new IllegalArgumentException("Cannot cut shares of " + sharePoints + " points: at least 1 is needed");
        }
        this.sharePoints = sharePoints;
        return this;
    }

    /** @param verify true to compare every migrated label on both sides afterwards (see {@link Verification}) */
    public Migration verify(boolean verify) {
        this.verify = verify;
        return this;
    }

    /** @param listener told of progress from the worker threads */
    public Migration listener(MigrationListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener is null");
        return this;
    }

    /** @param tempDir where the plan's label file (8 bytes per label) is written; default {@code java.io.tmpdir} */
    public Migration tempDir(Path tempDir) {
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir is null");
        return this;
    }

    /**
     * Runs within a process memory budget B (see {@link MemoryBudget}): the threads share the
     * usable part of the heap, each holding one chunk being read ({@value #CHUNK_POINTS} points of D
     * values) and an ingestor with an equal share of the rest; the destination consolidates with
     * the native share (DuckDB's {@code memory_limit}). Without it the backends use their own
     * buffer sizes.
     *
     * @param budgetBytes B, bytes
     * @throws IllegalArgumentException if less than 1
     */
    public Migration maxMemory(long budgetBytes) {
        if (budgetBytes < 1) {
            throw new IllegalArgumentException("Cannot migrate within a memory budget of " + budgetBytes
                    + " bytes: it must be positive");
        }
        this.maxMemory = OptionalLong.of(budgetBytes);
        return this;
    }

    /**
     * Runs the migration (or resumes an earlier run of it) and consolidates the destination.
     *
     * @return what was migrated, and the verification if asked for
     * @throws IllegalStateException if no destination was given
     * @throws org.pocaduck.StoreNotFoundException if the source does not exist
     * @throws org.pocaduck.ConfigurationException if a config names an unknown storage type or
     *     an invalid option
     * @throws SchemaMismatchException if the destination's point schema differs from the source's
     * @throws IllegalArgumentException if the destination is the source, or selected labels are
     *     missing from the source
     * @throws IllegalStateException if the destination holds output of other workers
     * @throws IllegalArgumentException if the memory budget cannot give each thread a chunk and
     *     {@link Store#MIN_MEMORY_BUDGET_BYTES} of ingest buffer (the figure needed is named)
     * @throws UnsupportedOperationException if the destination is read-only
     * @throws StorageException if reading or writing fails; shares committed so far are kept, and
     *     a rerun resumes
     */
    public MigrationResult run() {
        if (destination == null) {
            throw new IllegalStateException("Cannot migrate " + Verification.describe(source)
                    + ": no destination given (call to(config))");
        }
        String from = Verification.describe(source);
        String to = Verification.describe(destination);
        if (source.storageType().equals(destination.storageType()) && source.location().equals(destination.location())) {
            throw new IllegalArgumentException("Cannot migrate " + from + " into itself: source and destination are"
                    + " the same store");
        }
        long start = System.nanoTime();
        try (Store in = PocaDuck.openExisting(source); Query reader = in.query()) {
            Optional<PointSchema> schema = reader.schema();
            Optional<PointSchema> declared = destination.declaredSchema();
            if (schema.isPresent() && declared.isPresent() && !schema.get().equals(declared.get())) {
                throw new SchemaMismatchException("Cannot migrate " + from + " into " + to + ": the source's point"
                        + " schema is (" + schema.get() + ") but the destination config declares (" + declared.get()
                        + "); nothing was written");
            }
            try (MigrationPlan plan = MigrationPlan.build(reader, Optional.ofNullable(selection), sharePoints, tempDir);
                    Destination opened = openDestination(schema, plan, from, to)) {
                Store out = opened.store();
                String prefix = WORKER_PREFIX + plan.fingerprint() + "-";
                LOG.info("Migrating {} into {}: {} labels, {} points in {} shares (worker ids {}*), {} threads", from, to,
                        plan.labels(), plan.points(), plan.shares(), prefix, workers);
                listener.planned(plan.labels(), plan.points(), plan.shares());
                int threads = Math.min(workers, Math.max(1, plan.shares()));
                OptionalLong ingestorBytes = ingestorBudget(threads, schema.map(PointSchema::dimensions).orElse(3));
                Copy copy = new Copy(reader, out, opened.committed(), plan, prefix, ingestorBytes);
                copy.run(threads);
                listener.consolidating();
                if (maxMemory.isPresent()) {
                    out.consolidate(MemoryBudget.consolidationBytes(maxMemory.getAsLong()));
                } else {
                    out.consolidate();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Optional<VerificationResult> verification = Optional.empty();
                if (verify) {
                    try (Query written = out.query()) {
                        verification = Optional.of(Verification.compare(from, reader, to, written, workers,
                                Optional.ofNullable(selection), Verification.DEFAULT_MAX_REPORTED));
                    }
                }
                return new MigrationResult(from, to, plan.labels(), plan.points(), plan.blocks(), plan.shares(),
                        copy.skipped.get(), copy.pointsCopied.get(), prefix, seconds, verification);
            }
        }
    }

    /** Each thread's ingestor budget under {@link #maxMemory(long)}, or empty without one. */
    private OptionalLong ingestorBudget(int threads, int dimensions) {
        if (maxMemory.isEmpty()) {
            return OptionalLong.empty();
        }
        long chunkBytes = (long) CHUNK_POINTS * dimensions * Long.BYTES;
        long perThread = (MemoryBudget.usableBytes(maxMemory.getAsLong()) - threads * chunkBytes) / threads;
        if (perThread < Store.MIN_MEMORY_BUDGET_BYTES) {
            long needed = MemoryBudget.budgetFor(threads * (chunkBytes + Store.MIN_MEMORY_BUDGET_BYTES));
            throw new IllegalArgumentException("Cannot migrate within --max-memory "
                    + MemoryBudget.format(maxMemory.getAsLong()) + ": it needs at least " + MemoryBudget.format(needed)
                    + " (" + threads + " worker(s), each a chunk of " + CHUNK_POINTS + " points of " + dimensions
                    + " values and " + MemoryBudget.format(Store.MIN_MEMORY_BUDGET_BYTES) + " of ingest buffer, in "
                    + "the heap's usable part); raise --max-memory or use fewer --workers; nothing was written");
        }
        return OptionalLong.of(perThread);
    }

    /**
     * Opens (or creates) the destination with the source's schema declared, so that the first
     * write does not fix a default one and a new store records it with the rest of its setup
     * (one open: on a remote catalog every statement is a round trip), and checks it.
     *
     * @return the open store and the worker ids it lists as committed
     */
    private Destination openDestination(Optional<PointSchema> schema, MigrationPlan plan, String from, String to) {
        StorageConfig config = schema.isPresent() && destination.declaredSchema().isEmpty()
                ? destination.toBuilder().schema(schema.get()).build() : destination;
        Store out;
        try {
            out = PocaDuck.open(config);
        } catch (SchemaMismatchException e) {
            throw new SchemaMismatchException("Cannot migrate " + from + " into " + to + ": " + e.getMessage()
                    + "; nothing was written");
        }
        try {
            return new Destination(out, checkDestination(out, schema, plan, from, to));
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** The open destination and its committed worker ids when it was opened. */
    private record Destination(Store store, Set<String> committed) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }

    /** @return the destination's committed worker ids, all of them this migration's */
    private static Set<String> checkDestination(Store out, Optional<PointSchema> schema, MigrationPlan plan,
            String from, String to) {
        if (!out.supports(Capability.WRITE)) {
            throw new UnsupportedOperationException("Cannot migrate " + from + " into " + to + ": storage type '"
                    + out.storageType() + "' is read-only (it lacks " + Capability.WRITE + ")");
        }
        Optional<PointSchema> existing = out.schema();
        if (schema.isPresent() && existing.isPresent() && !schema.get().equals(existing.get())) {
            throw new SchemaMismatchException("Cannot migrate " + from + " into " + to + ": the source's point schema"
                    + " is (" + schema.get() + ") but the destination's is (" + existing.get() + "); nothing was written");
        }
        String prefix = WORKER_PREFIX + plan.fingerprint() + "-";
        Set<String> committed = out.committedWorkers();
        List<String> others = committed.stream().filter(w -> !w.startsWith(prefix)).toList();
        if (!others.isEmpty()) {
            throw new IllegalStateException("Cannot migrate " + from + " into " + to + ": the destination already holds"
                    + " the committed output of " + others.size() + " other worker id(s) (" + String.join(", ",
                            others.subList(0, Math.min(5, others.size()))) + (others.size() > 5 ? ", ..." : "")
                    + "). This migration's worker ids are " + prefix + "*: migrate into an empty store, or rerun the"
                    + " migration that wrote them with the same source, labels and share size; nothing was written");
        }
        return committed;
    }

    /** The copying of the shares by a pool of threads. */
    private final class Copy {
        private final Query reader;
        private final Store out;
        private final MigrationPlan plan;
        private final String prefix;
        private final Set<String> committed;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private final AtomicLong pointsCopied = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final OptionalLong ingestorBytes;

        Copy(Query reader, Store out, Set<String> committed, MigrationPlan plan, String prefix,
                OptionalLong ingestorBytes) {
            this.reader = reader;
            this.out = out;
            this.plan = plan;
            this.prefix = prefix;
            this.ingestorBytes = ingestorBytes;
            this.committed = committed;
        }

        void run(int threads) {
            ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform()
                    .name("pocaduck-migrate-", 0).factory());
            List<Future<?>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(this::work));
                }
                for (Future<?> future : futures) {
                    try {
                        future.get();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException runtime) {
                            throw runtime;
                        }
                        if (e.getCause() instanceof Error error) {
                            throw error;
                        }
                        throw new StorageException("Cannot migrate: " + e.getCause(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StorageException("Migration interrupted; committed shares are kept, rerun to resume", e);
                    }
                }
            } finally {
                stop.set(true);
                pool.shutdown();
            }
        }

        private void labelCopied(long points) {
            pointsCopied.addAndGet(points);
            listener.labelCopied(points);
        }

        private void work() {
            for (int share = next.getAndIncrement(); share < plan.shares() && !stop.get();
                    share = next.getAndIncrement()) {
                String workerId = prefix + String.format("%05d", share);
                if (committed.contains(workerId)) {
                    skipped.incrementAndGet();
                    listener.skipped(plan.shareLabels(share), plan.sharePoints(share));
                    continue;
                }
                try {
                    copyShare(share, workerId);
                } catch (RuntimeException e) {
                    stop.set(true);
                    throw e;
                }
            }
        }

        /**
         * Copies one share with one label stream: the range of its labels (shares are contiguous
         * runs of the source's index), or its listed labels under a selection.
         */
        private void copyShare(int share, String workerId) {
            long[] labels = plan.labelsOf(share);
            LabelSelection labelsOfShare = selection != null ? LabelSelection.of(labels)
                    : LabelSelection.range(labels[0], labels[labels.length - 1]);
            try (Ingestor ingestor = ingestorBytes.isPresent() ? out.ingestor(workerId, ingestorBytes.getAsLong())
                    : out.ingestor(workerId);
                    LabelChunks chunks = reader.streamLabels(labelsOfShare, CHUNK_POINTS)) {
                long label = 0;
                long points = -1;
                while (chunks.hasNext()) {
                    if (stop.get()) {
                        return; // another share failed: this one is discarded by close()
                    }
                    LabelPoints chunk = chunks.next();
                    if (points >= 0 && chunk.label() != label) {
                        labelCopied(points);
                        points = 0;
                    }
                    label = chunk.label();
                    points = Math.max(points, 0) + chunk.points().size();
                    ingestor.write(label, chunk.blockId(), chunk.points());
                }
                if (points >= 0) {
                    labelCopied(points);
                }
                ingestor.commit();
                LOG.info("Committed share {}/{} ({} labels, {} points) as worker {}", share + 1, plan.shares(),
                        labels.length, plan.sharePoints(share), workerId);
            }
        }
    }
}
