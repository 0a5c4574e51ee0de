package org.pocaduck.parquet.read;

import java.io.IOException;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A stream that reads a byte range whose exact extent the caller knows (a page range from the
 * offset index) in one read of exactly those bytes, without read-ahead.
 */
interface PositionalReads {
    /**
     * Fills {@code into[offset, offset + length)} with the bytes at {@code position}; the
     * stream's position is then the byte after them.
     *
     * @throws java.io.EOFException if the file ends first
     */
    void readFullyAt(long position, byte[] into, int offset, int length) throws IOException;

    /** Reads a known byte range: exactly, if the stream can, else by seeking and reading. */
    static void readFully(SeekableInputStream stream, long position, byte[] into, int offset, int length)
            throws IOException {
        if (stream instanceof PositionalReads exact) {
            exact.readFullyAt(position, into, offset, length);
        } else {
            stream.seek(position);
            stream.readFully(into, offset, length);
        }
    }
}
