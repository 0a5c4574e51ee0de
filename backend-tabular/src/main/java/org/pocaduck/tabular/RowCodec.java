package org.pocaduck.tabular;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Array;
import java.sql.SQLException;
import java.util.List;
import org.pocaduck.PointCloud;

/**
 * Encodes points into rows under the payload limit and decodes payloads back. Thread-safe.
 *
 * <p>Packed: N x D int64 values, row-major, little-endian, then compressed as a whole (or not).
 * A row holds at most as many points as keep the worst-case compressed size under the limit, so
 * a stored payload never exceeds it. Array: the same values as {@code BIGINT} array elements,
 * 8 bytes each counted against the limit.
 */
final class RowCodec {
    private final PayloadEncoding encoding;
    private final Compression compression;
    private final int maxPayloadBytes;

    RowCodec(PayloadEncoding encoding, Compression compression, int maxPayloadBytes) {
        this.encoding = encoding;
        this.compression = encoding == PayloadEncoding.PACKED ? compression : Compression.NONE;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    PayloadEncoding encoding() {
        return encoding;
    }

    Compression compression() {
        return compression;
    }

    /** @return the most points of D dimensions one row holds, at least 1 */
    int pointsPerRow(int dimensions) {
        long pointBytes = (long) dimensions * Long.BYTES;
        long points = Math.max(1, maxPayloadBytes / pointBytes);
        while (points > 1 && compression.bound(points * pointBytes) > maxPayloadBytes) {
            points -= Math.max(1, (compression.bound(points * pointBytes) - maxPayloadBytes) / pointBytes);
        }
        return (int) Math.max(1, points);
    }

    /**
     * Splits one (label, block)'s points into rows.
     *
     * @param points the points, N x D row-major
     * @param firstChunk the chunk number of the first row
     * @param out receives the rows
     * @return the next chunk number
     */
    int encode(long label, String blockId, PointCloud points, String workerId, long generation, int firstChunk,
            List<StoredRow> out) {
        int dimensions = points.dimensions();
        int perRow = pointsPerRow(dimensions);
        int chunk = firstChunk;
        for (int from = 0; from < points.size(); from += perRow) {
            int n = Math.min(perRow, points.size() - from);
            PointCloud part = points.slice(from, from + n);
            int count = n * dimensions;
            Object payload;
            int bytes;
            if (encoding == PayloadEncoding.PACKED) {
                ByteBuffer raw = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                raw.asLongBuffer().put(part.asReadOnlyBuffer());
                byte[] stored = compression.compress(raw.array());
                payload = stored;
                bytes = stored.length;
            } else {
                long[] values = new long[count];
                part.copyTo(values, 0);
                payload = values;
                bytes = count * Long.BYTES;
            }
            out.add(new StoredRow(label, blockId, chunk++, n, dimensions, bytes, workerId, generation, payload));
        }
        return chunk;
    }

    /**
     * Reads one row's payload column, materialised so it outlives the result set.
     *
     * @return {@code byte[]} for packed, the array's elements for array
     * @throws SQLException if the column cannot be read
     */
    Object read(java.sql.ResultSet rs, int column) throws SQLException {
        if (encoding == PayloadEncoding.PACKED) {
            return rs.getBytes(column);
        }
        Array array = rs.getArray(column);
        try {
            return array.getArray();
        } finally {
            array.free();
        }
    }

    /**
     * Decodes one row's payload into {@code target} from {@code offset}.
     *
     * @param payload the JDBC value: {@code byte[]} for packed, a {@link Array} for array
     * @param decompressor the calling thread's decompressor
     * @throws IllegalStateException if the payload does not hold N x D values
     */
    void decodeInto(Object payload, int pointCount, int dimensions, long[] target, int offset,
            Compression.Decompressor decompressor) {
        int count = Math.multiplyExact(pointCount, dimensions);
        if (encoding == PayloadEncoding.PACKED) {
            byte[] raw = decompressor.decompress(compression, (byte[]) payload, count * Long.BYTES);
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(target, offset, count);
            return;
        }
        Object elements;
        try {
            elements = payload instanceof Array array ? array.getArray() : payload;
        } catch (SQLException e) {
            throw new IllegalStateException("array payload cannot be read: " + e.getMessage(), e);
        }
        if (elements instanceof long[] longs) {
            checkCount(longs.length, count);
            System.arraycopy(longs, 0, target, offset, count);
        } else if (elements instanceof Object[] objects) {
            checkCount(objects.length, count);
            for (int i = 0; i < count; i++) {
                target[offset + i] = ((Number) objects[i]).longValue();
            }
        } else if (elements instanceof List<?> list) {
            checkCount(list.size(), count);
            for (int i = 0; i < count; i++) {
                target[offset + i] = ((Number) list.get(i)).longValue();
            }
        } else {
            throw new IllegalStateException("array payload is a " + (elements == null ? "null" : elements.getClass().getName()));
        }
    }

    private static void checkCount(int actual, int expected) {
        if (actual != expected) {
            throw new IllegalStateException("array payload holds " + actual + " values, expected " + expected);
        }
    }
}
