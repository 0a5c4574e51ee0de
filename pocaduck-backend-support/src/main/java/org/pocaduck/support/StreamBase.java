package org.pocaduck.support;

import java.util.NoSuchElementException;
import org.pocaduck.QueryTiming;

/**
 * The iterator skeleton of a query's streams ({@link org.pocaduck.LabelSummaries},
 * {@link org.pocaduck.PointChunks}, {@link org.pocaduck.BlockChunks}): the next element is
 * produced on {@link #hasNext()} and held until {@link #next()}; the stream releases what it
 * holds at its end, on a failure, or on {@link #close()}, once. The time between calls (the
 * consumer's) is charged to no phase; the points of the elements handed out are the timing's
 * points returned.
 *
 * <p>Not thread-safe: one consumer, as the stream interfaces say.
 *
 * @param <T> the element type
 */
public abstract class StreamBase<T> {
    /** The stream's timing; subclasses charge their phases to it while producing. */
    protected final QueryTiming.Recorder timing;
    private T pending;
    private long returned;
    private boolean closed;

    /** @param timing the recorder of the operation, started when the stream was asked for */
    protected StreamBase(QueryTiming.Recorder timing) {
        this.timing = timing;
    }

    /**
     * Produces the next element.
     *
     * @return the element, or null at the end
     * @throws Exception if stored data cannot be read; {@link #failure} turns it into what the
     *     consumer sees
     */
    protected abstract T produce() throws Exception;

    /** @return the points an element holds, for the timing (0 for elements that hold none) */
    protected abstract long pointsOf(T element);

    /** Releases the connections, result sets or files the stream holds. Called once. */
    protected void release() {
    }

    /**
     * The exception the consumer sees for a checked failure of {@link #produce()} (an unchecked
     * one is rethrown as it is).
     *
     * @param e what {@link #produce()} threw
     * @return typically an {@link org.pocaduck.StorageException} naming what the stream reads
     */
    protected abstract RuntimeException failure(Exception e);

    /** @return true if another element follows; false at the end and after {@link #close()} */
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
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw failure(e);
        }
        if (pending == null) {
            close();
            return false;
        }
        returned += pointsOf(pending);
        return true;
    }

    /**
     * @return the next element
     * @throws NoSuchElementException at the end
     */
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more elements in this stream");
        }
        T element = pending;
        pending = null;
        return element;
    }

    /** @return the timing of what was read so far; after the end, of the whole stream */
    public QueryTiming timing() {
        return timing.finish(returned);
    }

    /** Releases what the stream holds; idempotent; afterwards {@link #hasNext()} is false. */
    public void close() {
        if (!closed) {
            closed = true;
            pending = null;
            release();
        }
    }
}
