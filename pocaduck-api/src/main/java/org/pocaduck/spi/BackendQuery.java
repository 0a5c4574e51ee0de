package org.pocaduck.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pocaduck.BlockChunks;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.PointSchema;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;

/**
 * A backend's read-only view: the SPI side of {@link org.pocaduck.Query}. Must be thread-safe.
 * Every operation returns its {@link org.pocaduck.QueryTiming} with the backend's storage type
 * as {@code backend}. An unknown label gives an empty result, never an error. The API layer
 * validates arguments and enforces use-after-close before a call reaches the backend.
 *
 * <p>Every abstract method is implemented natively: a per-block read touches only the stored
 * data of those blocks, and streams hold bounded memory. The filtered read
 * {@link #points(long, PointFilter, int)} has a default built on them.
 */
public interface BackendQuery extends AutoCloseable {
    /**
     * @return every label with its point and block counts, each once, in unsigned label order,
     *     with bounded memory however many labels the store holds
     */
    LabelSummaries labelSummaries();

    /** @return the number of distinct labels */
    long labelCount();

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
     * Reads only the stored data of the given blocks.
     *
     * @param blockIds a non-empty set of non-null block ids; ids the label does not have are
     *     ignored
     * @param emptyDimensions D of the empty cloud returned when none of the blocks holds the label
     * @return every point of the label in those blocks exactly as written
     */
    Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions);

    /**
     * The points a filter keeps, as {@link PointFilter} defines them. The default reads through
     * {@link FilteredPoints#read}: the chosen blocks with {@link #points(long, Set, int)}, or the
     * whole label streamed with {@link #streamBlocks} and filtered chunk by chunk, so it never
     * holds more than one chunk plus the result. A backend overrides it where it can skip stored
     * data the filter would drop, or answer from what it already holds.
     *
     * @param filter a filter whose blocks, if chosen, are a non-empty set; the API has checked that
     *     D is at least 3 if the filter needs x, y, z
     * @param emptyDimensions D of the empty cloud returned when nothing is read
     * @return the kept points, timed as operation {@code points}
     */
    default Timed<PointCloud> points(long label, PointFilter filter, int emptyDimensions) {
        return FilteredPoints.read(this, label, filter, emptyDimensions);
    }

    /**
     * @param maxChunkPoints at least 1
     * @return the label's points in chunks of at most {@code maxChunkPoints} points
     */
    PointChunks streamPoints(long label, int maxChunkPoints);

    /**
     * @param maxChunkPoints at least 1
     * @return the label's points block by block, as {@link BlockChunks} describes: block-id order
     *     ({@link String#compareTo}), at most {@code maxChunkPoints} points per chunk, a chunk
     *     never mixing blocks
     */
    BlockChunks streamBlocks(long label, int maxChunkPoints);

    /**
     * The points of the selected labels, as {@link org.pocaduck.LabelChunks} describes: labels in
     * unsigned order, blocks in {@link String#compareTo} order within a label, at most
     * {@code maxChunkPoints} points per chunk, a chunk never mixing labels or blocks. Read many
     * labels per request where the storage allows (a range of a label-sorted file, one statement
     * for a batch of labels), with memory bounded by a read window, not by the selection.
     *
     * @param selection the labels
     * @param maxChunkPoints at least 1
     */
    LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints);

    /** @return the schema of the consolidated data, if it holds any */
    Optional<PointSchema> schema();

    /** @return totals of the consolidated data */
    StoreStats stats();

    /** Releases resources. Idempotent; throws nothing checked. */
    @Override
    void close();
}
