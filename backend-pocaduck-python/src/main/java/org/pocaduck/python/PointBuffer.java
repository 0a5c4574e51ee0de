package org.pocaduck.python;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import org.pocaduck.PointCloud;
import org.pocaduck.StorageException;

/**
 * Collects points read from the rows of a {@link PointSelect} statement into one growing
 * row-major array. Not thread-safe.
 */
final class PointBuffer {
    private final PointSelect select;
    private long[] values;
    private int points;

    /**
     * @param select the statement whose rows are read
     * @param expectedPoints how many points to make room for at first (the index's count; the
     *     array grows if the files hold more)
     */
    PointBuffer(PointSelect select, long expectedPoints) {
        this.select = select;
        this.values = new long[checkedValues(Math.max(0, expectedPoints))];
    }

    /** @return the points collected */
    int size() {
        return points;
    }

    /**
     * Appends the point of the result set's current row, checking its list holds D values, none
     * null.
     *
     * @throws StorageException naming the label and files if the row breaks that
     */
    void add(ResultSet rs) throws SQLException {
        int dims = select.dimensions();
        int first = select.lengthColumn();
        long length = rs.getLong(first);
        if (rs.wasNull() || length != dims) {
            throw select.badRow("a point has " + (rs.wasNull() ? "no data list" : length + " values in its data list")
                    + ", but the store's points have D = " + dims);
        }
        int at = points * dims;
        if (at + dims > values.length) {
            long most = PointCloud.MAX_VALUES / dims;
            values = Arrays.copyOf(values, checkedValues(Math.max(points + 1L, Math.min(most, 2L * points + 1024))));
        }
        for (int d = 0; d < dims; d++) {
            long value = rs.getLong(first + 1 + d);
            if (value == 0 && rs.wasNull()) {
                throw select.badRow("a point has a null value in its data list");
            }
            values[at + d] = value;
        }
        points++;
    }

    /** @return the collected points; the buffer must not be used afterwards */
    PointCloud toCloud() {
        int used = points * select.dimensions();
        return PointCloud.wrap(used == values.length ? values : Arrays.copyOf(values, used), select.dimensions());
    }

    private int checkedValues(long pointCount) {
        long count = pointCount * select.dimensions();
        if (count > PointCloud.MAX_VALUES) {
            throw new IllegalArgumentException("Cannot read the points of " + select.describe()
                    + " into one array: more than " + PointCloud.MAX_VALUES + " values (" + pointCount + " points x D = "
                    + select.dimensions() + "); use Query.streamPoints or Query.streamBlocks");
        }
        return (int) count;
    }
}
