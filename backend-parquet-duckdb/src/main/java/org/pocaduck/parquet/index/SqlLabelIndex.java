package org.pocaduck.parquet.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.pocaduck.LabelSelection;
import org.pocaduck.Labels;
import org.pocaduck.QueryTiming;
import org.pocaduck.support.StreamBase;

/**
 * Label lookups by SQL on the consolidated DuckDB index: one prepared statement per lookup on a
 * pooled connection ({@link ConsolidatedIndex#onSession}). Labels are bound as unsigned decimal
 * text and cast to UBIGINT (a {@code long} bound to a UBIGINT column matches nothing above
 * 2^63). Thread-safe.
 */
final class SqlLabelIndex implements LabelIndex {
    static final String SQL_POINT_COUNT = "SELECT point_count FROM label_summary WHERE label = CAST(? AS UBIGINT)";
    static final String SQL_BLOCKS = "SELECT DISTINCT block_id FROM point_cloud_index WHERE label = CAST(? AS UBIGINT)";
    static final String SQL_ROWS = "SELECT block_id, file_path, row_start, point_count FROM point_cloud_index "
            + "WHERE label = CAST(? AS UBIGINT)";
    /** A plain scan returns the rows in storage order: sorted by label, block, worker, file, row. */
    static final String SQL_RANGE_ROWS = "SELECT label, block_id, file_path, row_start, point_count FROM "
            + "point_cloud_index WHERE label BETWEEN CAST(? AS UBIGINT) AND CAST(? AS UBIGINT)";

    private final ConsolidatedIndex index;

    SqlLabelIndex(ConsolidatedIndex index) {
        this.index = index;
    }

    /** Consumes one result row. */
    @FunctionalInterface
    private interface SqlRow {
        void accept(ResultSet row) throws SQLException;
    }

    /** Runs one of the session's prepared lookups for a label and hands each row to {@code row}. */
    private void byLabel(String what, String sql, long label, SqlRow row) {
        index.onSession(what + " of label " + Labels.format(label), sql, session -> {
            PreparedStatement prepared = session.prepared(sql);
            prepared.setString(1, Labels.format(label));
            try (ResultSet rs = prepared.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
            return null;
        });
    }

    @Override
    public long pointCount(long label, QueryTiming.Recorder timing) {
        timing.sql(SQL_POINT_COUNT);
        long[] count = new long[1];
        byLabel("count points", SQL_POINT_COUNT, label, rs -> {
            count[0] = rs.getLong(1);
            timing.rows(1);
        });
        timing.indexLookupDone();
        return count[0];
    }

    @Override
    public List<String> blocks(long label, QueryTiming.Recorder timing) {
        timing.sql(SQL_BLOCKS);
        TreeSet<String> blocks = new TreeSet<>();
        byLabel("list blocks", SQL_BLOCKS, label, rs -> blocks.add(rs.getString(1)));
        timing.indexLookupDone().rows(blocks.size());
        return List.copyOf(blocks);
    }

    @Override
    public List<IndexEntry> entries(long label, QueryTiming.Recorder timing) {
        timing.sql(SQL_ROWS);
        List<IndexEntry> entries = new ArrayList<>();
        byLabel("find the rows", SQL_ROWS, label, rs -> entries.add(new IndexEntry(label, rs.getString(1),
                rs.getString(2), rs.getLong(3), rs.getLong(4))));
        timing.indexLookupDone();
        return entries;
    }

    /**
     * Listed labels are looked up one by one; a range (or every label) is one streamed statement
     * whose rows are grouped by label as they come.
     */
    @Override
    public Runs runs(LabelSelection selection, QueryTiming.Recorder timing) {
        if (selection instanceof LabelSelection.Listed list) {
            return new ListedRuns(list, timing);
        }
        long first = selection instanceof LabelSelection.Range range ? range.first() : 0L;
        long last = selection instanceof LabelSelection.Range range ? range.last() : -1L;
        timing.sql(SQL_RANGE_ROWS);
        ConsolidatedIndex.OpenRows open = index.openRows("find the rows of labels " + Labels.format(first) + " to "
                + Labels.format(last), SQL_RANGE_ROWS, Labels.format(first), Labels.format(last));
        timing.indexLookupDone();
        return new RangeRuns(open, timing);
    }

    /** The runs of listed labels, one lookup each. */
    private final class ListedRuns extends StreamBase<List<IndexEntry>> implements Runs {
        private final LabelSelection.Listed list;
        private int next;

        ListedRuns(LabelSelection.Listed list, QueryTiming.Recorder timing) {
            super(timing);
            this.list = list;
        }

        @Override
        protected List<IndexEntry> produce() {
            while (next < list.size()) {
                List<IndexEntry> entries = entries(list.label(next++), timing);
                if (!entries.isEmpty()) {
                    return entries;
                }
            }
            return null;
        }

        @Override
        protected long pointsOf(List<IndexEntry> entries) {
            return 0;
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return index.failure("find the rows of listed labels", SQL_ROWS, e);
        }
    }

    /** Groups a streamed range statement's rows by label. */
    private final class RangeRuns extends StreamBase<List<IndexEntry>> implements Runs {
        private final ConsolidatedIndex.OpenRows open;
        /** The first row of the next label, read ahead; null if none. */
        private IndexEntry ahead;

        RangeRuns(ConsolidatedIndex.OpenRows open, QueryTiming.Recorder timing) {
            super(timing);
            this.open = open;
        }

        private IndexEntry row() throws SQLException {
            ResultSet rs = open.rows();
            if (!rs.next()) {
                return null;
            }
            return new IndexEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
        }

        @Override
        protected List<IndexEntry> produce() throws SQLException {
            IndexEntry first = ahead != null ? ahead : row();
            ahead = null;
            if (first == null) {
                return null;
            }
            List<IndexEntry> entries = new ArrayList<>();
            entries.add(first);
            for (IndexEntry next = row(); next != null; next = row()) {
                if (next.label() != first.label()) {
                    ahead = next;
                    break;
                }
                entries.add(next);
            }
            timing.indexLookupDone().rows(entries.size());
            return entries;
        }

        @Override
        protected long pointsOf(List<IndexEntry> entries) {
            return 0;
        }

        @Override
        protected void release() {
            ahead = null;
            open.close();
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return index.failure("find the rows of a range of labels", SQL_RANGE_ROWS, e);
        }
    }
}
