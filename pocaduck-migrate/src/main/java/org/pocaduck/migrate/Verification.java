package org.pocaduck.migrate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

/**
 * Compares two stores label by label: for every label, its point count, its block ids and an
 * order-independent checksum of its (block, point) pairs on both sides (see the per-label digest
 * in this package: XXH64 per point, summed). Any two backends can be compared, and
 * a store with itself.
 *
 * <p>Memory is bounded: both label indexes are streamed side by side in unsigned label order
 * ({@link Query#labelSummaries()}), labels whose counts already differ are reported without
 * reading their points, and the others are read in batches of consecutive labels, each side of a
 * batch with one {@link Query#streamLabels} of its range, by a pool of worker threads, a bounded
 * number of batches at a time. Only the first {@link #maxReported(int)}
 * mismatching labels are kept (the count is exact).
 *
 * <pre>{@code
 * VerificationResult result = Verification.between(parquetConfig, tabularConfig).workers(2).run();
 * if (!result.clean()) result.mismatches().forEach(System.err::println);
 * }</pre>
 *
 * <p>Not thread-safe to configure; {@link #run()} may be called again.
 */
public final class Verification {
    /** Default of {@link #maxReported(int)}. */
    public static final int DEFAULT_MAX_REPORTED = 1000;

    private final StorageConfig a;
    private final StorageConfig b;
    private int workers = Runtime.getRuntime().availableProcessors();
    private LabelSelection.Listed selection;
    private int maxReported = DEFAULT_MAX_REPORTED;

    private Verification(StorageConfig a, StorageConfig b) {
        this.a = Objects.requireNonNull(a, "first store config is null");
        this.b = Objects.requireNonNull(b, "second store config is null");
    }

    /** @return a verification of two existing stores (A and B in the report) */
    public static Verification between(StorageConfig a, StorageConfig b) {
        return new Verification(a, b);
    }

    /**
     * @param workers threads reading labels, at least 1 (default: the number of processors)
     * @throws IllegalArgumentException if less than 1
     */
    public Verification workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("Cannot verify with " + workers + " workers: at least 1 is needed");
        }
        this.workers = workers;
        return this;
    }

    /** Compares only these labels (each must be on both sides, or it is a mismatch). */
    public Verification labels(LabelSelection.Listed selection) {
        this.selection = Objects.requireNonNull(selection, "selection is null");
        return this;
    }

    /**
     * @param maxReported mismatching labels kept in the result, at least 0 (default 1000)
     * @throws IllegalArgumentException if negative
     */
    public Verification maxReported(int maxReported) {
        if (maxReported < 0) {
            throw new IllegalArgumentException("Cannot keep " + maxReported + " mismatches: the limit is negative");
        }
        this.maxReported = maxReported;
        return this;
    }

    /**
     * Opens both stores (they must exist) and compares them.
     *
     * @return counts and the first mismatching labels; see {@link VerificationResult#clean()}
     * @throws org.pocaduck.StoreNotFoundException if either store does not exist
     * @throws org.pocaduck.ConfigurationException if either config is invalid
     * @throws org.pocaduck.StorageException if either store cannot be read
     */
    public VerificationResult run() {
        try (Store storeA = PocaDuck.openExisting(a);
                Store storeB = PocaDuck.openExisting(b);
                Query queryA = storeA.query();
                Query queryB = storeB.query()) {
            return compare(describe(a), queryA, describe(b), queryB, workers, Optional.ofNullable(selection),
                    maxReported);
        }
    }

    static String describe(StorageConfig config) {
        return config.storageType() + ":" + config.location();
    }

    /** A batch closes at this many points of its labels (or {@link #BATCH_LABELS} labels). */
    static final long BATCH_POINTS = 1L << 22;
    /** A batch closes at this many labels. */
    static final int BATCH_LABELS = 4096;

    /**
     * Compares two open views; the caller closes them. The label indexes are streamed side by
     * side; labels whose counts agree are gathered into batches of consecutive labels (about
     * {@link #BATCH_POINTS} points or {@link #BATCH_LABELS} labels), and each batch is read on
     * both sides with one {@link Query#streamLabels} of its label range by a worker thread.
     */
    static VerificationResult compare(String nameA, Query a, String nameB, Query b, int workers,
            Optional<LabelSelection.Listed> selection, int maxReported) {
        long start = System.nanoTime();
        Mismatches mismatches = new Mismatches(maxReported);
        AtomicLong points = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(workers * 2);
        long labels = 0;
        BitSet selectedSeen = new BitSet();
        ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon()
                .name("pocaduck-verify-", 0).factory());
        try (LabelSummaries sideA = a.labelSummaries(); LabelSummaries sideB = b.labelSummaries()) {
            Batch batch = new Batch();
            java.util.function.Consumer<Batch> submit = full -> {
                inFlight.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        compareBatch(a, b, full, mismatches, points);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        inFlight.release();
                    }
                });
            };
            LabelSummary nextA = advance(sideA, selection, selectedSeen);
            LabelSummary nextB = advance(sideB, selection, selectedSeen);
            while ((nextA != null || nextB != null) && failure.get() == null) {
                int order = nextA == null ? 1 : nextB == null ? -1 : Labels.compare(nextA.label(), nextB.label());
                labels++;
                if (order < 0) {
                    mismatches.add(nextA.label(), "only in A (" + nextA.pointCount() + " points)");
                    nextA = advance(sideA, selection, selectedSeen);
                } else if (order > 0) {
                    mismatches.add(nextB.label(), "only in B (" + nextB.pointCount() + " points)");
                    nextB = advance(sideB, selection, selectedSeen);
                } else {
                    if (nextA.pointCount() != nextB.pointCount()) {
                        mismatches.add(nextA.label(), "point count " + nextA.pointCount() + " in A, "
                                + nextB.pointCount() + " in B");
                    } else if (nextA.blockCount() != nextB.blockCount()) {
                        mismatches.add(nextA.label(), "block count " + nextA.blockCount() + " in A, "
                                + nextB.blockCount() + " in B");
                    } else if (batch.add(nextA.label(), nextA.pointCount())) {
                        submit.accept(batch);
                        batch = new Batch();
                    }
                    nextA = advance(sideA, selection, selectedSeen);
                    nextB = advance(sideB, selection, selectedSeen);
                }
            }
            if (batch.size() > 0 && failure.get() == null) {
                submit.accept(batch);
            }
            inFlight.acquireUninterruptibly(workers * 2);
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (selection.isPresent()) {
            int size = selection.get().size();
            for (int i = selectedSeen.nextClearBit(0); i < size; i = selectedSeen.nextClearBit(i + 1)) {
                mismatches.add(selection.get().label(i), "selected but in neither store");
                labels++;
            }
        }
        return new VerificationResult(nameA, nameB, labels, points.get(), mismatches.count(), mismatches.first(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Consecutive labels (unsigned order) whose counts agree on both sides, to compare point by point. */
    private static final class Batch {
        private long[] labels = new long[64];
        private int size;
        private long points;

        /** @return true if the batch is full */
        boolean add(long label, long pointCount) {
            if (size == labels.length) {
                labels = java.util.Arrays.copyOf(labels, size * 2);
            }
            labels[size++] = label;
            points += pointCount;
            return points >= BATCH_POINTS || size >= BATCH_LABELS;
        }

        int size() {
            return size;
        }

        /** @return the range from the first label to the last */
        LabelSelection.Range range() {
            return LabelSelection.range(labels[0], labels[size - 1]);
        }

        /** @return the batch's labels, to look labels up in (labels in the range may have been reported) */
        LabelSelection.Listed selection() {
            return LabelSelection.of(java.util.Arrays.copyOf(labels, size));
        }

        long label(int i) {
            return labels[i];
        }
    }

    private static void compareBatch(Query a, Query b, Batch batch, Mismatches mismatches, AtomicLong points) {
        Map<Long, LabelDigest> left = digests(a, batch);
        Map<Long, LabelDigest> right = digests(b, batch);
        LabelDigest none = new LabelDigest(0, List.of(), 0);
        for (int i = 0; i < batch.size(); i++) {
            long label = batch.label(i);
            LabelDigest l = left.getOrDefault(label, none);
            LabelDigest r = right.getOrDefault(label, none);
            points.addAndGet(l.points());
            if (l.points() != r.points()) {
                mismatches.add(label, "points read: " + l.points() + " in A, " + r.points() + " in B");
            } else if (!l.blocks().equals(r.blocks())) {
                mismatches.add(label, "block ids differ: " + firstDifference(l.blocks(), r.blocks()));
            } else if (l.checksum() != r.checksum()) {
                mismatches.add(label, "checksum of the points differs (same count and blocks, other values)");
            }
        }
    }

    /** Reads one side of a batch with one label stream and digests each of the batch's labels. */
    private static Map<Long, LabelDigest> digests(Query query, Batch batch) {
        Map<Long, LabelDigest> digests = new java.util.HashMap<>();
        LabelSelection.Listed wanted = batch.selection();
        LabelDigest.Builder current = null;
        long currentLabel = 0;
        try (LabelChunks chunks = query.streamLabels(batch.range(), LabelDigest.CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                LabelPoints chunk = chunks.next();
                if (current == null || chunk.label() != currentLabel) {
                    if (current != null) {
                        digests.put(currentLabel, current.build());
                    }
                    currentLabel = chunk.label();
                    current = wanted.contains(currentLabel) ? new LabelDigest.Builder() : null;
                    if (current == null) {
                        continue;
                    }
                }
                current.add(chunk.blockId(), chunk.points());
            }
        }
        if (current != null) {
            digests.put(currentLabel, current.build());
        }
        return digests;
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "A has " + a.get(i) + ", B has " + b.get(i) + " at position " + i;
            }
        }
        return a.size() > b.size() ? "A has " + a.get(b.size()) + " more" : "B has " + b.get(a.size()) + " more";
    }

    /**
     * Next summary of a side, skipping labels outside the selection and marking the selected
     * ones seen; null at the end.
     */
    private static LabelSummary advance(LabelSummaries side, Optional<LabelSelection.Listed> selection, BitSet seen) {
        while (side.hasNext()) {
            LabelSummary next = side.next();
            if (selection.isEmpty()) {
                return next;
            }
            int index = selection.get().indexOf(next.label());
            if (index >= 0) {
                seen.set(index);
                return next;
            }
        }
        return null;
    }

    /** The exact count of mismatching labels and the first ones in unsigned order. Thread-safe. */
    private static final class Mismatches {
        private final int limit;
        private final TreeMap<Long, String> first = new TreeMap<>(Long::compareUnsigned);
        private long count;

        Mismatches(int limit) {
            this.limit = limit;
        }

        synchronized void add(long label, String difference) {
            count++;
            first.put(label, difference);
            if (first.size() > limit) {
                first.pollLastEntry();
            }
        }

        synchronized long count() {
            return count;
        }

        synchronized List<LabelMismatch> first() {
            List<LabelMismatch> list = new ArrayList<>(first.size());
            first.forEach((label, difference) -> list.add(new LabelMismatch(label, difference)));
            return list;
        }
    }
}
