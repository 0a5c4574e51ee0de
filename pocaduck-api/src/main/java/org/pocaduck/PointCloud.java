package org.pocaduck;

import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable point cloud: N points of D int64 values each, stored row-major.
 *
 * <p>Point {@code i}'s value {@code d} is at index {@code i * D + d} of the row-major layout.
 * The dimension order is the store's {@link PointSchema}: by default x, y, z in voxel units of
 * the scanned volume (global coordinates, x fastest-varying in the source volume), then
 * attributes such as a supervoxel id. Values are signed int64; PoCADuck neither scales nor
 * reorders them.
 *
 * <p>Ownership: {@link #wrap(long[], int)} takes the caller's array without copying, and the
 * caller must not change it afterwards; every other factory copies. Accessors never expose the
 * backing array, so an instance is immutable and safe to share between threads.
 *
 * <p>A cloud holds at most {@link #MAX_VALUES} values (a Java array); larger labels are read with
 * {@link Query#streamPoints(long, int)}.
 */
public final class PointCloud {
    /** The most values (N x D) one cloud holds: the largest Java array, {@link Integer#MAX_VALUE} - 8. */
    public static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final long[] NO_VALUES = new long[0];

    private final long[] values;
    private final int offset;
    private final int size;
    private final int dimensions;

    private PointCloud(long[] values, int offset, int size, int dimensions) {
        this.values = values;
        this.offset = offset;
        this.size = size;
        this.dimensions = dimensions;
    }

    /**
     * Wraps a row-major array of N x D values without copying it.
     *
     * @param values row-major values, N x D; the cloud takes ownership and the caller must not
     *     change the array afterwards
     * @param dimensions D, the number of values per point, at least 1
     * @return a cloud of {@code values.length / dimensions} points
     * @throws IllegalArgumentException if {@code dimensions < 1} or {@code values.length} is not a
     *     multiple of {@code dimensions}
     */
    public static PointCloud wrap(long[] values, int dimensions) {
        Objects.requireNonNull(values, "values is null");
        checkShape(values.length, dimensions);
        return new PointCloud(values, 0, values.length / dimensions, dimensions);
    }

    /**
     * Copies a row-major array of N x D values.
     *
     * @param values row-major values, N x D; copied, so the caller keeps ownership
     * @param dimensions D, the number of values per point, at least 1
     * @return a cloud of {@code values.length / dimensions} points
     * @throws IllegalArgumentException as for {@link #wrap(long[], int)}
     */
    public static PointCloud copyOf(long[] values, int dimensions) {
        Objects.requireNonNull(values, "values is null");
        return wrap(values.clone(), dimensions);
    }

    /**
     * Copies points given as rows.
     *
     * @param dimensions D, the length every row must have, at least 1
     * @param rows N rows of D values each
     * @return a cloud of {@code rows.length} points
     * @throws IllegalArgumentException if a row's length is not {@code dimensions}
     */
    public static PointCloud ofRows(int dimensions, long[]... rows) {
        Objects.requireNonNull(rows, "rows is null");
        checkShape(0, dimensions);
        long[] values = new long[Math.multiplyExact(rows.length, dimensions)];
        for (int i = 0; i < rows.length; i++) {
            long[] row = Objects.requireNonNull(rows[i], "rows[" + i + "] is null");
            if (row.length != dimensions) {
                throw new IllegalArgumentException("Cannot create point cloud: row " + i + " has "
                        + row.length + " values, but D = " + dimensions + " dimensions");
            }
            System.arraycopy(row, 0, values, i * dimensions, dimensions);
        }
        return new PointCloud(values, 0, rows.length, dimensions);
    }

    /**
     * An empty cloud of D dimensions.
     *
     * @param dimensions D, at least 1
     * @return a cloud with no points
     */
    public static PointCloud empty(int dimensions) {
        checkShape(0, dimensions);
        return new PointCloud(NO_VALUES, 0, 0, dimensions);
    }

    /**
     * Concatenates clouds of one dimension count, in the order given.
     *
     * @param dimensions D of every part (and of the result when {@code parts} is empty)
     * @param parts the clouds to join
     * @return a new cloud holding every point of every part
     * @throws IllegalArgumentException if a part has another D, or the result exceeds one array
     */
    public static PointCloud concat(int dimensions, List<PointCloud> parts) {
        Objects.requireNonNull(parts, "parts is null");
        checkShape(0, dimensions);
        long total = 0;
        for (PointCloud part : parts) {
            if (part.dimensions != dimensions) {
                throw new IllegalArgumentException("Cannot concatenate point clouds: a part has D = "
                        + part.dimensions + ", expected D = " + dimensions);
            }
            total += (long) part.size * dimensions;
        }
        long[] values = new long[checkedLength(total)];
        int at = 0;
        for (PointCloud part : parts) {
            part.copyTo(values, at);
            at += part.size * dimensions;
        }
        return new PointCloud(values, 0, values.length / dimensions, dimensions);
    }

    /** @return N, the number of points */
    public int size() {
        return size;
    }

    /** @return true if the cloud has no points */
    public boolean isEmpty() {
        return size == 0;
    }

    /** @return D, the number of int64 values per point */
    public int dimensions() {
        return dimensions;
    }

    /** @return N x D, the number of values */
    public int valueCount() {
        return size * dimensions;
    }

    /**
     * One value.
     *
     * @param point the point's index, 0 to N-1
     * @param dimension the dimension's index, 0 to D-1, in schema order
     * @return the value
     * @throws IndexOutOfBoundsException if either index is out of range
     */
    public long get(int point, int dimension) {
        Objects.checkIndex(point, size);
        Objects.checkIndex(dimension, dimensions);
        return values[offset + point * dimensions + dimension];
    }

    /**
     * One point's values.
     *
     * @param point the point's index, 0 to N-1
     * @return a new array of D values in schema order
     */
    public long[] point(int point) {
        Objects.checkIndex(point, size);
        int from = offset + point * dimensions;
        return Arrays.copyOfRange(values, from, from + dimensions);
    }

    /** @return a new row-major array of N x D values */
    public long[] toArray() {
        return Arrays.copyOfRange(values, offset, offset + size * dimensions);
    }

    /**
     * Copies the row-major values into {@code target}.
     *
     * @param target the array to fill
     * @param targetOffset where the first value goes
     * @throws IndexOutOfBoundsException if {@code target} has no room for N x D values there
     */
    public void copyTo(long[] target, int targetOffset) {
        System.arraycopy(values, offset, target, targetOffset, size * dimensions);
    }

    /** @return a read-only view of the N x D row-major values, without copying */
    public LongBuffer asReadOnlyBuffer() {
        return LongBuffer.wrap(values, offset, size * dimensions).slice().asReadOnlyBuffer();
    }

    /**
     * The values of one dimension.
     *
     * @param dimension the dimension's index, 0 to D-1
     * @return a new array of N values
     */
    public long[] column(int dimension) {
        Objects.checkIndex(dimension, dimensions);
        long[] column = new long[size];
        for (int i = 0, at = offset + dimension; i < size; i++, at += dimensions) {
            column[i] = values[at];
        }
        return column;
    }

    /**
     * A view of points {@code from} (inclusive) to {@code to} (exclusive), without copying.
     *
     * @throws IndexOutOfBoundsException if the range is not within 0..N
     */
    public PointCloud slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        return new PointCloud(values, offset + from * dimensions, to - from, dimensions);
    }

    /**
     * The points sorted lexicographically by their values as signed int64, first dimension
     * first. Two clouds hold the same multiset of points exactly when their sorted forms are
     * equal.
     *
     * @return a new sorted cloud (this one is unchanged)
     */
    public PointCloud sorted() {
        int[] order = sortedOrder();
        long[] out = new long[size * dimensions];
        for (int i = 0; i < size; i++) {
            System.arraycopy(values, offset + order[i] * dimensions, out, i * dimensions, dimensions);
        }
        return new PointCloud(out, 0, size, dimensions);
    }

    /**
     * The distinct points, sorted as by {@link #sorted()}.
     *
     * @return a new cloud with every repeated point kept once
     */
    public PointCloud distinct() {
        PointCloud sorted = sorted();
        long[] in = sorted.values;
        long[] out = new long[in.length];
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int from = i * dimensions;
            if (kept > 0 && Arrays.equals(in, from, from + dimensions, out, (kept - 1) * dimensions,
                    kept * dimensions)) {
                continue;
            }
            System.arraycopy(in, from, out, kept * dimensions, dimensions);
            kept++;
        }
        return new PointCloud(kept == size ? out : Arrays.copyOf(out, kept * dimensions), 0, kept,
                dimensions);
    }

    /** Point indices in lexicographic order of their rows: a bottom-up merge sort, no boxing. */
    private int[] sortedOrder() {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int[] scratch = new int[size];
        for (int width = 1; width < size; width *= 2) {
            for (int lo = 0; lo < size - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, size);
                if (compareRows(order[mid - 1], order[mid]) <= 0) {
                    continue;
                }
                int a = lo;
                int b = mid;
                int k = lo;
                while (a < mid && b < hi) {
                    scratch[k++] = compareRows(order[a], order[b]) <= 0 ? order[a++] : order[b++];
                }
                while (a < mid) {
                    scratch[k++] = order[a++];
                }
                while (b < hi) {
                    scratch[k++] = order[b++];
                }
                System.arraycopy(scratch, lo, order, lo, hi - lo);
            }
        }
        return order;
    }

    private int compareRows(int a, int b) {
        int fa = offset + a * dimensions;
        int fb = offset + b * dimensions;
        for (int d = 0; d < dimensions; d++) {
            int c = Long.compare(values[fa + d], values[fb + d]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Two clouds are equal when they have the same D and the same values in the same order. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PointCloud that)) {
            return false;
        }
        return dimensions == that.dimensions && size == that.size
                && Arrays.equals(values, offset, offset + size * dimensions, that.values, that.offset,
                that.offset + that.size * that.dimensions);
    }

    @Override
    public int hashCode() {
        int hash = 31 * dimensions + size;
        for (int i = offset, end = offset + size * dimensions; i < end; i++) {
            hash = 31 * hash + Long.hashCode(values[i]);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "PointCloud[N=" + size + ", D=" + dimensions + "]";
    }

    /**
     * Checks that a number of values fits one cloud.
     *
     * @param values N x D, at least 0
     * @return {@code values} as an array length
     * @throws IllegalArgumentException if it exceeds {@link #MAX_VALUES}
     */
    static int checkedLength(long values) {
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException("Cannot hold " + values
                    + " values in one point cloud: the limit is " + MAX_VALUES
                    + " values (a Java array); read large labels with Query.streamPoints");
        }
        return (int) values;
    }

    private static void checkShape(int length, int dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException(
                    "Cannot create point cloud: D = " + dimensions + " dimensions, must be at least 1");
        }
        if (length % dimensions != 0) {
            throw new IllegalArgumentException("Cannot create point cloud: " + length
                    + " values is not a multiple of D = " + dimensions + " dimensions (N x D, row-major)");
        }
    }
}
