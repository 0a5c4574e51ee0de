package org.pocaduck.support;

import org.pocaduck.Labels;
import org.pocaduck.PointCloud;

/** Whether a label's points fit one {@link PointCloud}, which holds at most {@link PointCloud#MAX_VALUES} values. */
public final class OneArray {
    private OneArray() {
    }

    /**
     * Checks that a read of {@code points} points of D dimensions fits one point cloud.
     *
     * @param label the uint64 label being read, for the message
     * @param points N, the points to read, at least 0
     * @param dimensions D, at least 1
     * @return N x D, the number of values, as an array length
     * @throws IllegalArgumentException if N x D exceeds {@link PointCloud#MAX_VALUES}, naming the
     *     label and the streaming reads that take any size
     */
    public static int valueCount(long label, long points, int dimensions) {
        long values = points * dimensions;
        if (points > PointCloud.MAX_VALUES || values > PointCloud.MAX_VALUES) {
            throw new IllegalArgumentException("Cannot read points of label " + Labels.format(label)
                    + " into one array: it has " + points + " points x " + dimensions + " dimensions; use "
                    + "Query.streamPoints or Query.streamBlocks");
        }
        return (int) values;
    }
}
