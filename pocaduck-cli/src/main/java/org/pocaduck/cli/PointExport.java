package org.pocaduck.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;

/**
 * Writers of one label's points in the formats of {@code pocaduck points}. Points are N x D
 * int64 values in the store's schema order (x, y, z, then attributes).
 */
final class PointExport {
    private static final int CHUNK_POINTS = 1 << 14;

    private PointExport() {
    }

    /**
     * CSV with a header of the dimension names; x, y, z as signed decimals, attributes (usually
     * ids such as supervoxel ids) as unsigned 64-bit decimals.
     */
    static void csv(PointCloud points, List<String> names, Writer out) throws IOException {
        csvHeader(names, false, out);
        csvRows(points, null, out);
        out.flush();
    }

    /** Writes the CSV header: the dimension names, after {@code block_id} if asked. */
    static void csvHeader(List<String> names, boolean withBlockId, Writer out) throws IOException {
        out.write((withBlockId ? "block_id," : "") + String.join(",", names));
        out.write('\n');
    }

    /**
     * Writes one CSV line per point.
     *
     * @param blockId the block id to write first on every line (quoted as RFC 4180 requires when
     *     it holds a comma, quote or line break), or null for none
     */
    static void csvRows(PointCloud points, String blockId, Writer out) throws IOException {
        StringBuilder line = new StringBuilder();
        String prefix = blockId == null ? "" : csvField(blockId) + ",";
        int dimensions = points.dimensions();
        for (int p = 0; p < points.size(); p++) {
            line.append(prefix);
            for (int d = 0; d < dimensions; d++) {
                if (d > 0) {
                    line.append(',');
                }
                long value = points.get(p, d);
                line.append(d < 3 ? Long.toString(value) : Labels.format(value));
            }
            line.append('\n');
            if (line.length() > 1 << 16) {
                out.write(line.toString());
                line.setLength(0);
            }
        }
        out.write(line.toString());
    }

    /** A CSV field as RFC 4180 writes it: quoted, with quotes doubled, if it needs to be. */
    static String csvField(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * NumPy {@code .npy} version 1.0 (the format of numpy.lib.format): dtype {@code <i8}, shape
     * (N, D), C order; loads with {@code numpy.load}.
     */
    static void npy(PointCloud points, OutputStream target) throws IOException {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + points.size() + ", "
                + points.dimensions() + "), }";
        int preamble = 6 + 2 + 2;
        int total = preamble + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(padded - total)).append('\n');
        ByteBuffer start = ByteBuffer.allocate(preamble).order(ByteOrder.LITTLE_ENDIAN);
        start.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        start.putShort((short) header.length());
        OutputStream out = new BufferedOutputStream(target, 1 << 16);
        out.write(start.array());
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
        writeValues(points, out, false);
        out.flush();
    }

    /**
     * PLY 1.0, binary little-endian, one vertex per point with properties {@code x y z} as
     * doubles (exact for coordinates below 2^53); a comment names the label and the store's
     * dimensions. Attributes are not written: PLY has no 64-bit integer type (use csv or npy).
     */
    static void ply(PointCloud points, long label, List<String> names, OutputStream target) throws IOException {
        String header = "ply\n"
                + "format binary_little_endian 1.0\n"
                + "comment pocaduck label " + Labels.format(label) + "\n"
                + "comment pocaduck dimensions " + String.join(",", names) + "\n"
                + "element vertex " + points.size() + "\n"
                + "property double x\n"
                + "property double y\n"
                + "property double z\n"
                + "end_header\n";
        OutputStream out = new BufferedOutputStream(target, 1 << 16);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        writeValues(points, out, true);
        out.flush();
    }

    private static void writeValues(PointCloud points, OutputStream out, boolean xyzAsDoubles) throws IOException {
        int dimensions = points.dimensions();
        int perPoint = xyzAsDoubles ? 3 : dimensions;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_POINTS * perPoint * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < points.size(); from += CHUNK_POINTS) {
            int to = Math.min(points.size(), from + CHUNK_POINTS);
            buffer.clear();
            for (int p = from; p < to; p++) {
                for (int d = 0; d < perPoint; d++) {
                    long value = points.get(p, d);
                    if (xyzAsDoubles) {
                        buffer.putDouble(value);
                    } else {
                        buffer.putLong(value);
                    }
                }
            }
            out.write(buffer.array(), 0, buffer.position());
        }
    }
}
