package org.pocaduck.parquet.index;

import java.util.Iterator;
import java.util.List;
import org.pocaduck.LabelSelection;
import org.pocaduck.QueryTiming;

/**
 * Finds where one label's points are in a consolidated index: its point count, block ids and row
 * runs. Two implementations answer alike: the {@link LabelDirectory} (a memory-mapped copy of the
 * index's rows, one binary search per lookup) and {@link SqlLabelIndex} (a SQL statement on the
 * DuckDB index, for an index too large for a directory or a store where none can be written).
 *
 * <p>Labels are uint64 carried in a {@code long}; an unknown label gives 0 and empty lists.
 * Implementations are thread-safe; each lookup charges its time to the index lookup of the
 * recorder given (and records its SQL, if it runs any).
 */
public interface LabelIndex {
    /** @return the label's points over every block and worker, 0 if unknown */
    long pointCount(long label, QueryTiming.Recorder timing);

    /** @return the label's distinct block ids, sorted by {@link String#compareTo} */
    List<String> blocks(long label, QueryTiming.Recorder timing);

    /**
     * @return the label's row runs in index order (block, worker, file, row), in a list the caller
     *     may change
     */
    List<IndexEntry> entries(long label, QueryTiming.Recorder timing);

    /**
     * The row runs of the selected labels, one list per label in unsigned label order (labels the
     * index does not hold are skipped), each list in index order. Lazy: a label's runs are looked
     * up as the caller reaches it.
     *
     * @return the runs; the caller closes them (the SQL implementation holds a result set)
     */
    Runs runs(LabelSelection selection, QueryTiming.Recorder timing);

    /** The runs of many labels, label by label. Not thread-safe: one consumer. */
    interface Runs extends Iterator<List<IndexEntry>>, AutoCloseable {
        /** Releases what it holds. Idempotent; throws nothing checked. */
        @Override
        void close();
    }
}
