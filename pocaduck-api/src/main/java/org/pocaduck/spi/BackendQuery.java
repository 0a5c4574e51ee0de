package org.pocaduck.spi;

import java.util.List;
import java.util.Optional;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;

/**
 * A backend's read-only view: the SPI side of {@link org.pocaduck.Query}. Must be thread-safe.
 * Every operation returns its {@link org.pocaduck.QueryTiming} with the backend's storage type
 * as {@code backend}. An unknown label gives an empty result, never an error.
 */
public interface BackendQuery extends AutoCloseable {
    /** @return every label, each once, in unsigned order */
    Timed<long[]> labels();

    /** @return the label's point count over every block and worker, 0 if unknown */
    Timed<Long> pointCount(long label);

    /** @return the distinct block ids holding the label, sorted by {@link String#compareTo} */
    Timed<List<String>> blocks(long label);

    /**
     * @param emptyDimensions D of the empty cloud returned for an unknown label
     * @return every point of the label exactly as written, gathered over blocks and workers
     */
    Timed<PointCloud> points(long label, int emptyDimensions);

    /**
     * @param maxChunkPoints at least 1
     * @return the label's points in chunks of at most {@code maxChunkPoints} points
     */
    PointChunks streamPoints(long label, int maxChunkPoints);

    /** @return the schema of the consolidated data, if it holds any */
    Optional<PointSchema> schema();

    /** @return totals of the consolidated data */
    StoreStats stats();

    /** Releases resources. Idempotent; throws nothing checked. */
    @Override
    void close();
}
