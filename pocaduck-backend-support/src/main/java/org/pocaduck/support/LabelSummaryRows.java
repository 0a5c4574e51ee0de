package org.pocaduck.support;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.QueryTiming;

/**
 * {@link LabelSummaries} read from a JDBC result set whose rows are (label, point count, block
 * count), labels as the 64 bits of a uint64 ({@code getLong}) in unsigned order: a statement
 * ordering signed BIGINT labels {@code ORDER BY label < 0, label}, or a UBIGINT column sorted by
 * label. The order is checked as rows come, since {@link LabelSummaries} promises it; a row out
 * of order fails the stream. Releases the result set and the resources given (its statement and
 * connection) at the end, on a failure or on close. Not thread-safe: one consumer.
 */
public final class LabelSummaryRows extends StreamBase<LabelSummary> implements LabelSummaries {
    private final ResultSet rows;
    private final Consumer<QueryTiming.Recorder> phase;
    private final Function<Exception, RuntimeException> failure;
    private final AutoCloseable[] resources;
    private boolean any;
    private long previous;

    /**
     * @param timing the operation's recorder
     * @param rows the open result set
     * @param phase the phase reading a row is charged to ({@code QueryTiming.Recorder::indexLookupDone}
     *     where the rows are an index, {@code QueryTiming.Recorder::dataReadDone} where they are
     *     computed from the stored data)
     * @param failure the exception the consumer sees for a failed read, naming the store
     * @param resources what else to close with the result set: its statement and connection
     */
    public LabelSummaryRows(QueryTiming.Recorder timing, ResultSet rows, Consumer<QueryTiming.Recorder> phase,
            Function<Exception, RuntimeException> failure, AutoCloseable... resources) {
        super(timing);
        this.rows = rows;
        this.phase = phase;
        this.failure = failure;
        this.resources = resources.clone();
    }

    @Override
    protected LabelSummary produce() throws SQLException {
        if (!rows.next()) {
            phase.accept(timing);
            return null;
        }
        long label = rows.getLong(1);
        if (any && Long.compareUnsigned(label, previous) <= 0) {
            throw failure.apply(new SQLException("label " + Labels.format(label) + " comes after "
                    + Labels.format(previous) + ": the label summaries must be in strictly increasing unsigned order"));
        }
        any = true;
        previous = label;
        LabelSummary summary = new LabelSummary(label, rows.getLong(2), Math.toIntExact(rows.getLong(3)));
        phase.accept(timing);
        timing.rows(1);
        return summary;
    }

    @Override
    protected long pointsOf(LabelSummary summary) {
        return 0;
    }

    @Override
    protected void release() {
        Closeables.closeQuietly(rows);
        Closeables.closeQuietly(resources);
    }

    @Override
    protected RuntimeException failure(Exception e) {
        return failure.apply(e);
    }
}
