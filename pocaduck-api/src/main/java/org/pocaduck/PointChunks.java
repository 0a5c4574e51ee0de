package org.pocaduck;

import java.util.Iterator;

/**
 * A label's points read in chunks of at most a given number of points, so that a label too
 * large for one array, or for memory, can be processed with bounded memory.
 *
 * <p>Chunks come in no particular order; together they hold every point of the label exactly
 * once as written. Not thread-safe: one consumer. Close it when done (it may hold files or a
 * result set); closing is idempotent and closing early is fine.
 */
public interface PointChunks extends Iterator<PointCloud>, AutoCloseable {
    /**
     * @return the timing of the chunks read so far; after the last chunk, of the whole stream
     */
    QueryTiming timing();

    /** Releases what the stream holds. Idempotent; throws nothing checked. */
    @Override
    void close();
}
