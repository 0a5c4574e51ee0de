package org.pocaduck;

import java.util.Iterator;

/**
 * The points of many labels, label by label and block by block, in chunks of at most a given
 * number of points, from {@link Query#streamLabels(LabelSelection, int)}: how a store is copied,
 * verified or exported without one request per label.
 *
 * <p>Order: labels in unsigned order (0 first, 2^64-1 last); within a label, blocks in block-id
 * order ({@link String#compareTo}); a block holding more points than the chunk size arrives as
 * consecutive chunks of the same label and block, and a chunk never mixes labels or blocks.
 * Together the chunks hold every point of every selected label exactly once, as written (repeats
 * included). Memory is bounded by the backend's read window (see the backend), not by the number
 * of labels or the size of a label.
 *
 * <p>Not thread-safe: one consumer. The caller closes it (it may hold files, a connection or a
 * result set); closing is idempotent, closing early is fine, and after close {@link #hasNext()}
 * is false. {@link #hasNext()} and {@link #next()} may throw {@link StorageException} if stored
 * data cannot be read.
 */
public interface LabelChunks extends Iterator<LabelPoints>, AutoCloseable {
    /**
     * @return the timing of the chunks read so far; after the last chunk, of the whole stream
     */
    QueryTiming timing();

    /** Releases what the stream holds. Idempotent; throws nothing checked. */
    @Override
    void close();
}
