package org.pocaduck.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;

/**
 * Label summaries from a real DuckDB result set: signed BIGINT labels ordered as unsigned come out
 * in unsigned order; rows out of that order fail the stream naming both labels; the result set,
 * statement and connection are closed at the end and on failure.
 */
class TestLabelSummaryRows {
    private static final String ROWS = "SELECT * FROM (VALUES (CAST(-1 AS BIGINT), 4, 2), (0, 1, 1), "
            + "(CAST(-9223372036854775808 AS BIGINT), 3, 1), (7, 2, 2)) t(label, points, blocks)";

    private static LabelSummaries stream(String sql, List<AutoCloseable> opened) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:", DuckDbSettings.base().properties());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql);
        opened.add(rows);
        opened.add(statement);
        opened.add(connection);
        return new LabelSummaryRows(QueryTiming.start("test", "labelSummaries"), rows,
                QueryTiming.Recorder::indexLookupDone, e -> new StorageException("Cannot stream: " + e.getMessage(), e),
                statement, connection);
    }

    private static boolean closed(AutoCloseable resource) throws SQLException {
        return resource instanceof ResultSet rs ? rs.isClosed()
                : resource instanceof Statement st ? st.isClosed() : ((Connection) resource).isClosed();
    }

    @Test
    void rowsInUnsignedOrderStreamAndReleaseEverything() throws SQLException {
        List<AutoCloseable> opened = new ArrayList<>();
        List<LabelSummary> summaries = new ArrayList<>();
        try (LabelSummaries stream = stream(ROWS + " ORDER BY label < 0, label", opened)) {
            stream.forEachRemaining(summaries::add);
            assertThat(stream.timing().rowsRead()).isEqualTo(4);
        }
        assertThat(summaries).containsExactly(new LabelSummary(0, 1, 1), new LabelSummary(7, 2, 2),
                new LabelSummary(Long.MIN_VALUE, 3, 1), new LabelSummary(-1, 4, 2));
        for (AutoCloseable resource : opened) {
            assertThat(closed(resource)).as("%s closed", resource.getClass().getSimpleName()).isTrue();
        }
    }

    @Test
    void rowsOutOfUnsignedOrderFailNamingBothLabels() throws SQLException {
        List<AutoCloseable> opened = new ArrayList<>();
        try (LabelSummaries stream = stream(ROWS + " ORDER BY label", opened)) {
            // Signed order: -2^63, -1, 0, 7; the first two are in unsigned order, 0 is not.
            assertThat(stream.next().label()).isEqualTo(Long.MIN_VALUE);
            assertThat(stream.next().label()).isEqualTo(-1L);
            assertThatThrownBy(stream::hasNext).isInstanceOf(StorageException.class)
                    .hasMessage("Cannot stream: label 0 comes after 18446744073709551615: the label summaries must "
                            + "be in strictly increasing unsigned order");
            assertThat(stream.hasNext()).isFalse();
        }
        for (AutoCloseable resource : opened) {
            assertThat(closed(resource)).isTrue();
        }
    }
}
