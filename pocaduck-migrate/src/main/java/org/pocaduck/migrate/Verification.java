package org.pocaduck.migrate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * in this package: Guava's murmur3_128 per point, summed). Any two backends can be compared, and
 * a store with itself.
 *
 * <p>Memory is bounded: both label indexes are streamed side by side in unsigned label order
 * ({@link Query#labelSummaries()}), labels whose counts already differ are reported without
 * reading their points, and the others are read block by block in chunks by a pool of worker
 * threads, a bounded number of labels at a time. Only the first {@link #maxReported(int)}
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
    private LabelSelection selection;
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
    public Verification labels(LabelSelection selection) {
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

    /** Compares two open views; the caller closes them. */
    static VerificationResult compare(String nameA, Query a, String nameB, Query b, int workers,
            Optional<LabelSelection> selection, int maxReported) {
        long start = System.nanoTime();
        Mismatches mismatches = new Mismatches(maxReported);
        AtomicLong points = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(workers * 4);
        long labels = 0;
        BitSet selectedSeen = new BitSet();
        ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon()
                .name("pocaduck-verify-", 0).factory());
        try (LabelSummaries sideA = a.labelSummaries(); LabelSummaries sideB = b.labelSummaries()) {
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
                    LabelSummary left = nextA;
                    LabelSummary right = nextB;
                    if (left.pointCount() != right.pointCount()) {
                        mismatches.add(left.label(), "point count " + left.pointCount() + " in A, "
                                + right.pointCount() + " in B");
                    } else if (left.blockCount() != right.blockCount()) {
                        mismatches.add(left.label(), "block count " + left.blockCount() + " in A, "
                                + right.blockCount() + " in B");
                    } else {
                        inFlight.acquireUninterruptibly();
                        pool.execute(() -> {
                            try {
                                compareLabel(a, b, left.label(), mismatches, points);
                            } catch (RuntimeException e) {
                                failure.compareAndSet(null, e);
                            } finally {
                                inFlight.release();
                            }
                        });
                    }
                    nextA = advance(sideA, selection, selectedSeen);
                    nextB = advance(sideB, selection, selectedSeen);
                }
            }
            inFlight.acquireUninterruptibly(workers * 4);
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

    private static void compareLabel(Query a, Query b, long label, Mismatches mismatches, AtomicLong points) {
        LabelDigest left = LabelDigest.of(a, label);
        LabelDigest right = LabelDigest.of(b, label);
        points.addAndGet(left.points());
        if (left.points() != right.points()) {
            mismatches.add(label, "points read: " + left.points() + " in A, " + right.points() + " in B");
        } else if (!left.blocks().equals(right.blocks())) {
            mismatches.add(label, "block ids differ: " + firstDifference(left.blocks(), right.blocks()));
        } else if (left.checksum() != right.checksum()) {
            mismatches.add(label, "checksum of the points differs (same count and blocks, other values)");
        }
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
    private static LabelSummary advance(LabelSummaries side, Optional<LabelSelection> selection, BitSet seen) {
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
