package org.pocaduck;

import java.util.Iterator;

/**
 * Every label of a store with its point and block counts, streamed in unsigned label order (0
 * first, 2^64-1 last), each label once; from {@link Query#labelSummaries()}.
 *
 * <p>Memory is bounded (a result set or a page of the index at a time), however many labels the
 * store holds: this is the way to walk a store of billions of labels, where
 * {@link Query#labels()} cannot return one array.
 *
 * <p>Not thread-safe: one consumer. The caller closes it (it may hold a connection or a result
 * set); closing is idempotent, closing early is fine, and after close {@link #hasNext()} is false.
 * {@link #next()} may throw {@link StorageException} if the index cannot be read.
 */
public interface LabelSummaries extends Iterator<LabelSummary>, AutoCloseable {
    /**
     * @return the timing of the summaries read so far; after the last one, of the whole stream
     */
    QueryTiming timing();

    /** Releases what the stream holds. Idempotent; throws nothing checked. */
    @Override
    void close();
}
