package org.pocaduck.parquet.index;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.pocaduck.Labels;
import org.pocaduck.QueryTiming;

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
}
