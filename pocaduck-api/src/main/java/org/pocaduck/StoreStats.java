package org.pocaduck;

/**
 * Totals of a store as a query sees it.
 *
 * @param labels distinct labels
 * @param points points over all labels
 * @param labelBlockPairs distinct (label, block id) pairs, that is, point clouds written
 * @param files data and index files (0 where the backend keeps no files)
 * @param bytes bytes of stored data (compressed, as stored; in-memory size for memory)
 */
public record StoreStats(long labels, long points, long labelBlockPairs, long files, long bytes) {
}
