package org.pocaduck.parquet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.pocaduck.PointCloud;

/**
 * A query's byte-bounded LRU cache of recently read labels' points (Caffeine), weighed at 8 bytes
 * per value plus a small overhead. The clouds are immutable, so a hit is shared, never copied.
 * Thread-safe.
 */
final class PointCache {
    private final Cache<Long, PointCloud> cache;

    /** @param maxBytes the most bytes of values held, at least 1 */
    PointCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Long label, PointCloud points) -> (int) Math.min(Integer.MAX_VALUE,
                        64L + (long) points.valueCount() * Long.BYTES))
                .build();
    }

    /** @return the label's cached points, or null */
    PointCloud get(long label) {
        return cache.getIfPresent(label);
    }

    void put(long label, PointCloud points) {
        cache.put(label, points);
    }

    void clear() {
        cache.invalidateAll();
    }
}
