package org.pocaduck.support;

import java.util.NoSuchElementException;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelPoints;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.QueryTiming;
import org.pocaduck.spi.BackendQuery;

/**
 * {@link BackendQuery#streamLabels} label by label: the selected labels one after another, each
 * read with the backend's {@link BackendQuery#streamBlocks}. Listed labels are taken from the
 * list; a range or every label from {@link BackendQuery#labelSummaries()}, skipping labels
 * outside the range. Holds one label's stream (and the summaries' stream) at a time: for a
 * backend with no cheaper way to read many labels. Not thread-safe: one consumer.
 */
public final class LabelByLabelChunks implements LabelChunks {
    private final BackendQuery backend;
    private final LabelSelection selection;
    private final int maxChunkPoints;
    private final QueryTiming.Recorder timing;
    /** The summaries walked for a range or every label; null for a list. */
    private LabelSummaries summaries;
    private int listed;
    private long label;
    private BlockChunks current;
    private long returned;
    private boolean closed;

    /**
     * @param backend the backend's query, which reads each label
     * @param storageType the backend's storage type, for the timing
     * @param selection the labels
     * @param maxChunkPoints at least 1
     */
    public LabelByLabelChunks(BackendQuery backend, String storageType, LabelSelection selection,
            int maxChunkPoints) {
        this.backend = backend;
        this.selection = selection;
        this.maxChunkPoints = maxChunkPoints;
        this.timing = QueryTiming.start(storageType, "streamLabels");
    }

    /** @return the next selected label, or false at the end */
    private boolean nextLabel() {
        if (selection instanceof LabelSelection.Listed list) {
            if (listed == list.size()) {
                return false;
            }
            label = list.label(listed++);
            return true;
        }
        if (summaries == null) {
            summaries = backend.labelSummaries();
        }
        while (summaries.hasNext()) {
            long next = summaries.next().label();
            if (selection.contains(next)) {
                label = next;
                return true;
            }
            if (selection instanceof LabelSelection.Range range && Long.compareUnsigned(next, range.last()) > 0) {
                return false;
            }
        }
        return false;
    }

    @Override
    public boolean hasNext() {
        while (!closed) {
            if (current != null) {
                if (current.hasNext()) {
                    return true;
                }
                timing.add(current.timing());
                current.close();
                current = null;
            }
            if (!nextLabel()) {
                close();
                return false;
            }
            current = backend.streamBlocks(label, maxChunkPoints);
        }
        return false;
    }

    @Override
    public LabelPoints next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more label chunks");
        }
        BlockPoints chunk = current.next();
        returned += chunk.points().size();
        return new LabelPoints(label, chunk.blockId(), chunk.points());
    }

    @Override
    public QueryTiming timing() {
        return timing.finish(returned);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            timing.add(current.timing());
            current.close();
            current = null;
        }
        if (summaries != null) {
            timing.add(summaries.timing());
            summaries.close();
        }
    }
}
