package org.pocaduck;

/** Options of {@link Query#points(long, ReadOption...)}. */
public enum ReadOption {
    /**
     * Keep each distinct point once, sorted lexicographically by value (as
     * {@link PointCloud#distinct()}). Without it a label's points come back exactly as written,
     * repeats included: PoCADuck never deduplicates silently.
     */
    DISTINCT
}
