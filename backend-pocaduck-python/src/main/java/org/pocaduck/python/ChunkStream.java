package org.pocaduck.python;

import java.sql.SQLException;
import java.util.NoSuchElementException;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;

/**
 * The iterator skeleton of this backend's streams (label summaries, point chunks, block chunks):
 * the next element is produced on {@link #hasNext()} and held until {@link #next()}; the stream
 * releases what it holds at its end, on a failure, or on {@link #close()}. Not thread-safe: one
 * consumer.
 *
 * @param <T> the element type
 */
abstract class ChunkStream<T> {
    final QueryTiming.Recorder timing;
    private T pending;
    private long returned;
    private boolean closed;

    ChunkStream(QueryTiming.Recorder timing) {
        this.timing = timing;
    }

    /** @return the next element, or null at the end */
    abstract T produce() throws SQLException;

    /** @return the points an element holds, for the timing */
    abstract long pointsOf(T element);

    /** Releases the connections and result sets the stream holds. */
    abstract void release();

    /** @return the failure of a statement, naming what the stream reads */
    abstract StorageException failure(SQLException e);

    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            timing.skip();
            pending = produce();
        } catch (SQLException e) {
            close();
            throw failure(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (pending == null) {
            close();
            return false;
        }
        returned += pointsOf(pending);
        return true;
    }

    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more elements in this stream");
        }
        T element = pending;
        pending = null;
        return element;
    }

    public QueryTiming timing() {
        return timing.finish(returned);
    }

    public void close() {
        if (!closed) {
            closed = true;
            pending = null;
            release();
        }
    }
}
