package org.pocaduck.serve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pocaduck.Box;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store the server serves: its name, the {@link Query} every request uses (opened when the
 * server starts, so requests see the store as consolidated then), and what the server computes
 * once and keeps:
 *
 * <ul>
 *   <li>the store's bounds (one pass over every label's points, on first need);
 *   <li>the largest labels (one pass over the label index, on first need): the segment
 *       properties list and the labels of the spatial overview;
 *   <li>neuroglancer annotation ids: label {@code L} gets a slot number {@code k} (1 to
 *       {@value #MAX_SLOTS}) the first time its annotations are served, and its {@code i}-th
 *       annotation (in the sorted, downsampled list) has id {@code k << 40 | i}; ids of labels
 *       past the last slot use slot 0, which {@code by_id} does not resolve;
 *   <li>the annotation lists of the {@value #CACHED_LISTS} labels served last.
 * </ul>
 *
 * <p>Thread-safe. Owns its query (closed by {@link #close()}), not the store.
 */
final class ServedStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServedStore.class);

    /** The most labels given annotation slots in one server run. */
    static final int MAX_SLOTS = (1 << 23) - 1;
    /** Bits of an annotation id below its slot: the annotation's index in its label's list. */
    static final int INDEX_BITS = 40;
    /** Annotation lists kept (by most recent use). */
    static final int CACHED_LISTS = 8;

    /** A label's annotations: its distinct x, y, z at a scale. */
    record Annotations(long label, int slot, int scale, PointCloud xyz) {
        long id(int index) {
            return ((long) slot << INDEX_BITS) | index;
        }
    }

    private final String name;
    private final Store store;
    private final Query query;
    private final int annotationLimit;
    private final int largestLimit;
    private final Map<Long, Integer> slots = new ConcurrentHashMap<>();
    private final Map<Integer, Long> labelsBySlot = new ConcurrentHashMap<>();
    private final AtomicInteger nextSlot = new AtomicInteger(1);
    private final Map<Long, Annotations> lists = new LinkedHashMap<>(16, 0.75f, true);
    private Optional<Box> bounds;
    private List<LabelSummary> largest;
    private byte[] overview;

    ServedStore(String name, Store store, int annotationLimit, int largestLimit) {
        this.name = name;
        this.store = store;
        this.query = store.query();
        this.annotationLimit = annotationLimit;
        this.largestLimit = largestLimit;
    }

    String name() {
        return name;
    }

    Store store() {
        return store;
    }

    Query query() {
        return query;
    }

    int annotationLimit() {
        return annotationLimit;
    }

    /** @return the dimension names of the store's points (x, y, z if it holds none) */
    List<String> names() {
        return query.schema().orElse(PointSchema.defaultFor(3)).names();
    }

    /** @return the exact bounds of every point's x, y, z; empty for a store without points */
    synchronized Optional<Box> bounds() {
        if (bounds == null) {
            long start = System.nanoTime();
            Optional<Box> all = Optional.empty();
            long labels = 0;
            try (LabelSummaries summaries = query.labelSummaries()) {
                while (summaries.hasNext()) {
                    Optional<Box> one = LabelPoints.bounds(query, summaries.next().label());
                    labels++;
                    if (one.isPresent()) {
                        all = Optional.of(all.isEmpty() ? one.get() : LabelPoints.union(all.get(), one.get()));
                    }
                }
            }
            bounds = all;
            LOG.info("Store '{}': bounds {} from every point of {} labels in {} ms", name,
                    all.map(Box::toString).orElse("(none)"), labels, (System.nanoTime() - start) / 1_000_000);
        }
        return bounds;
    }

    /**
     * @return the labels with the most points, most first (ties in unsigned label order), at most
     *     the server's segment-properties limit; one pass over the label index, kept
     */
    synchronized List<LabelSummary> largest() {
        if (largest == null) {
            Comparator<LabelSummary> bySize = Comparator.comparingLong(LabelSummary::pointCount)
                    .thenComparing(LabelSummary::label, (a, b) -> Labels.compare(b, a));
            PriorityQueue<LabelSummary> top = new PriorityQueue<>(bySize);
            try (LabelSummaries summaries = query.labelSummaries()) {
                while (summaries.hasNext()) {
                    top.add(summaries.next());
                    if (top.size() > largestLimit) {
                        top.poll();
                    }
                }
            }
            List<LabelSummary> sorted = new ArrayList<>(top);
            sorted.sort(bySize.reversed());
            largest = List.copyOf(sorted);
        }
        return largest;
    }

    /**
     * A label's annotations, from the cache or read ({@link LabelPoints#annotations}).
     *
     * @param stored the label's stored points, at least 1
     */
    Annotations annotations(long label, long stored) {
        synchronized (lists) {
            Annotations cached = lists.get(label);
            if (cached != null) {
                return cached;
            }
        }
        LabelPoints.Scaled read = LabelPoints.annotations(query, label, stored, annotationLimit);
        Annotations made = new Annotations(label, slot(label), read.scale(), read.points());
        synchronized (lists) {
            lists.put(label, made);
            if (lists.size() > CACHED_LISTS) {
                lists.remove(lists.keySet().iterator().next());
            }
        }
        return made;
    }

    private int slot(long label) {
        return slots.computeIfAbsent(label, l -> {
            int slot = nextSlot.get() > MAX_SLOTS ? 0 : nextSlot.getAndIncrement();
            if (slot > MAX_SLOTS) {
                slot = 0;
            }
            if (slot > 0) {
                labelsBySlot.put(slot, l);
            }
            return slot;
        });
    }

    /** @return the label an annotation id's slot names, if this server run gave it out */
    Optional<Long> labelOfId(long id) {
        int slot = (int) (id >>> INDEX_BITS);
        return slot == 0 ? Optional.empty() : Optional.ofNullable(labelsBySlot.get(slot));
    }

    /** @return the spatial overview's body, made once by {@code make} */
    synchronized byte[] overview(java.util.function.Supplier<byte[]> make) {
        if (overview == null) {
            overview = make.get();
        }
        return overview;
    }

    @Override
    public void close() {
        query.close();
    }
}
