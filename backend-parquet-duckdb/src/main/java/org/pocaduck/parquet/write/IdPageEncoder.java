package org.pocaduck.parquet.write;

import java.util.Arrays;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * Encodes the dictionary ids of one data page as the Parquet format specifies for dictionary
 * encoding (Encodings.md, "Dictionary Encoding" and "Run Length Encoding / Bit-Packing Hybrid"):
 * one byte holding the bit width, then runs. Repeats of at least {@value #MIN_REPEAT} ids become
 * RLE runs; everything else is bit-packed in groups of 8 (parquet-java's little-endian packers),
 * the last group padded with zeros. Ids arrive as (id, repeat count) pairs, so a caller that knows
 * its runs (a label, a block) never hands over single values. Reused page after page; not
 * thread-safe.
 */
final class IdPageEncoder {
    /** Shortest repeat written as an RLE run; shorter ones are cheaper bit-packed. */
    private static final int MIN_REPEAT = 16;

    private byte[] out = new byte[1 << 12];
    private int size;
    private int[] pending = new int[1 << 10];
    private int pendingCount;
    private int bitWidth;
    private int valueBytes;
    private BytePacker packer;

    /** Starts a page whose ids need {@code bitWidth} bits (0 when the dictionary has one value). */
    void start(int bitWidth) {
        this.bitWidth = bitWidth;
        this.valueBytes = (bitWidth + 7) / 8;
        this.packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
        size = 0;
        pendingCount = 0;
        out[size++] = (byte) bitWidth;
    }

    /** Appends {@code count} (at least 1) copies of {@code id}. */
    void add(int id, int count) {
        if (count >= MIN_REPEAT) {
            // A bit-packed run holds a multiple of 8 ids: top up the pending ones from this repeat.
            int pad = (8 - (pendingCount & 7)) & 7;
            appendPending(id, pad);
            flushPending();
            writeRle(id, count - pad);
        } else {
            appendPending(id, count);
        }
    }

    /** Ends the page. @return the page's length in {@link #bytes()} */
    int finish() {
        appendPending(0, (8 - (pendingCount & 7)) & 7);
        flushPending();
        return size;
    }

    /** @return the buffer holding the finished page from offset 0; valid until the next start */
    byte[] bytes() {
        return out;
    }

    private void appendPending(int id, int count) {
        if (pendingCount + count > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingCount + count, pending.length * 2));
        }
        Arrays.fill(pending, pendingCount, pendingCount + count, id);
        pendingCount += count;
    }

    private void flushPending() {
        if (pendingCount == 0) {
            return;
        }
        int groups = pendingCount / 8;
        writeVarInt(groups << 1 | 1);
        ensure(groups * bitWidth);
        for (int g = 0; g < groups; g++) {
            packer.pack8Values(pending, g * 8, out, size);
            size += bitWidth;
        }
        pendingCount = 0;
    }

    private void writeRle(int id, int count) {
        writeVarInt(count << 1);
        ensure(valueBytes);
        for (int b = 0; b < valueBytes; b++) {
            out[size++] = (byte) (id >>> (8 * b));
        }
    }

    /** ULEB128, as the hybrid's run headers are written. */
    private void writeVarInt(int value) {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            out[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[size++] = (byte) value;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(size + more, out.length * 2));
        }
    }
}
