package org.pocaduck.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;

/**
 * The formats in which the server sends a label's points, each written chunk by chunk so that a
 * label of any size streams with bounded memory. Points are N x D int64 values in the store's
 * schema order; x, y, z (the first three) are signed, attributes (the rest) are ids and are
 * written as unsigned 64-bit where the format has a type.
 *
 * <ul>
 *   <li>{@code npy}: NumPy {@code .npy} version 1.0 (numpy.lib.format), a structured array of
 *       shape (N,) with one field per dimension, named as the schema names it: {@code <i8} for
 *       x, y, z and {@code <u8} for attributes, packed little-endian. The header is the one
 *       {@code numpy.save} writes for that dtype (padded with spaces to 64 bytes, after numpy's
 *       room for the shape to grow), so {@code numpy.load(io.BytesIO(body))} reads it and the
 *       bytes equal {@code numpy.save}'s.
 *   <li>{@code csv}: a header line of the dimension names, then one line per point; x, y, z
 *       signed decimal, attributes unsigned decimal.
 *   <li>{@code ply}: PLY 1.0 binary little-endian, one vertex per point with properties
 *       {@code x y z} as doubles (exact below 2^53), comments naming the label and the
 *       dimensions; attributes are left out (PLY has no 64-bit integer type). Needs D of at least 3.
 *   <li>{@code raw}: no header; N x D little-endian int64 values, row-major (point by point,
 *       dimensions in schema order). The server names the dimensions in the response header
 *       {@code X-Pocaduck-Dimensions}; N is the body length / (8 D).
 * </ul>
 *
 * <p>Stateless and thread-safe; an {@link Encoder} is used by one thread.
 */
public enum PointFormat {
    /** NumPy {@code .npy}, a structured array. */
    NPY("application/octet-stream"),
    /** Comma-separated text with a header line. */
    CSV("text/csv; charset=utf-8"),
    /** PLY binary little-endian, x y z as doubles. */
    PLY("application/octet-stream"),
    /** Little-endian int64, N x D, no header. */
    RAW("application/octet-stream");

    /** numpy's ARRAY_ALIGN: the header ends on a multiple of it. */
    private static final int NPY_ALIGN = 64;
    /** numpy's GROWTH_AXIS_MAX_DIGITS: room left in the header for the shape to grow. */
    private static final int NPY_GROWTH_DIGITS = 21;

    private final String contentType;

    PointFormat(String contentType) {
        this.contentType = contentType;
    }

    /** @return the response's {@code Content-Type} */
    public String contentType() {
        return contentType;
    }

    /** @return the format's name as a request gives it: npy, csv, ply or raw */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return true if the header states the point count, so it must be known before the first byte */
    public boolean needsCount() {
        return this == NPY || this == PLY;
    }

    /**
     * @param text npy, csv, ply or raw, in any case
     * @return the format
     * @throws IllegalArgumentException naming the text and the formats
     */
    public static PointFormat parse(String text) {
        for (PointFormat format : values()) {
            if (format.text().equalsIgnoreCase(text.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("Cannot send points as format '" + text + "': the formats are npy, csv, ply"
                + " and raw");
    }

    /**
     * @param names the dimension names, in schema order (D of them)
     * @param label the label written, for the ply comment
     * @return an encoder of points of those dimensions
     * @throws IllegalArgumentException if the format is ply and D is below 3
     */
    public Encoder encoder(List<String> names, long label) {
        if (this == PLY && names.size() < 3) {
            throw new IllegalArgumentException("Cannot send points as ply: the store's points have D = " + names.size()
                    + " values, and ply vertices need x, y, z");
        }
        return new Encoder(this, List.copyOf(names), label);
    }

    /** Writes one label's points in one format: the header, then chunks. Not thread-safe. */
    public static final class Encoder {
        private static final int BUFFER_BYTES = 1 << 16;

        private final PointFormat format;
        private final List<String> names;
        private final long label;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final StringBuilder text = new StringBuilder();

        private Encoder(PointFormat format, List<String> names, long label) {
            this.format = format;
            this.names = names;
            this.label = label;
        }

        /**
         * @param count N, the points that follow (ignored by csv and raw)
         * @return the bytes before the first point
         */
        public byte[] header(long count) {
            String header = switch (format) {
                case NPY -> npyHeader(count);
                case CSV -> String.join(",", names) + "\n";
                case PLY -> "ply\nformat binary_little_endian 1.0\ncomment pocaduck label " + Labels.format(label)
                        + "\ncomment pocaduck dimensions " + String.join(",", names) + "\nelement vertex " + count
                        + "\nproperty double x\nproperty double y\nproperty double z\nend_header\n";
                case RAW -> "";
            };
            byte[] bytes = header.getBytes(StandardCharsets.ISO_8859_1);
            if (format == NPY) {
                // The magic string's first byte is 0x93; the header's length is uint16 little-endian.
                bytes[0] = (byte) 0x93;
                int length = bytes.length - 10;
                bytes[8] = (byte) length;
                bytes[9] = (byte) (length >>> 8);
            }
            return bytes;
        }

        private String npyHeader(long count) {
            StringBuilder dict = new StringBuilder("{'descr': [");
            for (int d = 0; d < names.size(); d++) {
                dict.append(d == 0 ? "" : ", ").append("('").append(names.get(d)).append("', '")
                        .append(d < 3 ? "<i8" : "<u8").append("')");
            }
            String shape = Long.toString(count);
            dict.append("], 'fortran_order': False, 'shape': (").append(shape).append(",), }");
            dict.append(" ".repeat(Math.max(0, NPY_GROWTH_DIGITS - shape.length())));
            int withNewline = dict.length() + 1;
            int padding = NPY_ALIGN - (10 + withNewline) % NPY_ALIGN;
            if (withNewline + padding > 0xFFFF) {
                throw new IllegalArgumentException("Cannot write an npy header for " + names.size()
                        + " dimensions: it exceeds the 65535 bytes of npy version 1.0");
            }
            // Placeholders for the magic byte and the length, set in header().
            return "?NUMPY\u0001\u0000??" + dict + " ".repeat(padding) + "\n";
        }

        /**
         * @param count N
         * @return the whole body's length in bytes for N points, or -1 for csv (not known before)
         */
        public long bodyLength(long count) {
            long perPoint = switch (format) {
                case NPY, RAW -> 8L * names.size();
                case PLY -> 24L;
                case CSV -> -1;
            };
            return perPoint < 0 ? -1 : header(count).length + perPoint * count;
        }

        /**
         * Writes the points of one chunk.
         *
         * @param chunk N x D values, D the number of names
         * @param out where to write (not flushed)
         * @throws IOException if writing fails
         */
        public void write(PointCloud chunk, OutputStream out) throws IOException {
            int dimensions = chunk.dimensions();
            LongBuffer values = chunk.asReadOnlyBuffer();
            int n = chunk.size();
            if (format == CSV) {
                for (int p = 0, at = 0; p < n; p++) {
                    for (int d = 0; d < dimensions; d++, at++) {
                        long value = values.get(at);
                        text.append(d == 0 ? "" : ",").append(d < 3 ? Long.toString(value) : Labels.format(value));
                    }
                    text.append('\n');
                    if (text.length() >= BUFFER_BYTES) {
                        flushText(out);
                    }
                }
                flushText(out);
                return;
            }
            int perPoint = format == PLY ? 3 : dimensions;
            for (int p = 0; p < n; p++) {
                if (buffer.remaining() < perPoint * Long.BYTES) {
                    flushBuffer(out);
                }
                int from = p * dimensions;
                for (int d = 0; d < perPoint; d++) {
                    if (format == PLY) {
                        buffer.putDouble(values.get(from + d));
                    } else {
                        buffer.putLong(values.get(from + d));
                    }
                }
            }
            flushBuffer(out);
        }

        private void flushText(OutputStream out) throws IOException {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
        }

        private void flushBuffer(OutputStream out) throws IOException {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
