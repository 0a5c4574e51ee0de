package org.pocaduck.tabular;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stores of one {@link TabularBackendFactory} share in this JVM, by store (a dialect
 * location and table, {@link TabularSettings#describe()}): the monitor that serialises setup and
 * schema changes, the worker ids with an open ingestor, whether the catalog's lack of DELETE was
 * already reported, and the clock of runs. {@code PocaDuck} keeps one factory per class loader,
 * so every {@code Store} opened through it shares this. Thread-safe.
 */
final class SharedState {
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> activeWorkers = new ConcurrentHashMap<>();
    private final Set<String> noDeleteReported = ConcurrentHashMap.newKeySet();
    private final Generations generations = new Generations();

    /** @return the monitor of a store */
    Object monitor(String store) {
        return monitors.computeIfAbsent(store, k -> new Object());
    }

    /** @return the worker ids with an open ingestor on a store (a live, thread-safe set) */
    Set<String> activeWorkers(String store) {
        return activeWorkers.computeIfAbsent(store, k -> ConcurrentHashMap.newKeySet());
    }

    /** @return true the first time it is asked for a store, false afterwards */
    boolean firstNoDeleteReport(String store) {
        return noDeleteReported.add(store);
    }

    Generations generations() {
        return generations;
    }
}
