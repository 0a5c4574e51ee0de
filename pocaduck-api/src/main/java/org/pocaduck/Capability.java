package org.pocaduck;

/**
 * Optional abilities a backend may have. {@link Store#capabilities()} lists a store's; an
 * operation that needs a missing one throws {@link UnsupportedOperationException} naming it.
 */
public enum Capability {
    /**
     * The store can be written: {@link Store#ingestor(String)} and {@link Store#consolidate()}
     * work. A store without it is read-only (for example {@code pocaduck-python}, the stores of
     * the original Python PoCADuck).
     */
    WRITE,
    /** Data outlives the JVM: a store reopened by another process sees it. */
    PERSISTENT,
    /** Separate processes may write workers of one store at once (a cluster job array). */
    MULTI_PROCESS,
    /** {@link Store#optimize()} rewrites the store for faster reads, keeping every result. */
    OPTIMIZE
}
