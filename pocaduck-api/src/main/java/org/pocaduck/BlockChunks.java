package org.pocaduck;

import java.util.Iterator;

/**
 * A label's points read block by block, in chunks of at most a given number of points, from
 * {@link Query#streamBlocks(long, int)}.
 *
 * <p>Order: chunks come in block-id order ({@link String#compareTo}); a block holding more points
 * than the chunk size arrives as consecutive chunks with the same block id, and a chunk never
 * mixes blocks. Together the chunks hold every point of the label exactly once, as written
 * (repeats included). Memory is bounded by the chunk size (plus the label's index entries),
 * however large the label.
 *
 * <p>Not thread-safe: one consumer. The caller closes it (it may hold files, a connection or a
 * result set); closing is idempotent, closing early is fine, and after close {@link #hasNext()}
 * is false. {@link #next()} may throw {@link StorageException} if stored data cannot be read.
 */
public interface BlockChunks extends Iterator<BlockPoints>, AutoCloseable {
    /**
     * @return the timing of the chunks read so far; after the last chunk, of the whole stream
     */
    QueryTiming timing();

    /** Releases what the stream holds. Idempotent; throws nothing checked. */
    @Override
    void close();
}
