package org.pocaduck.parquet.read;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A parquet-java stream over positional reads of a file of known length (a local file's
 * {@code FileChannel}, an object's ranged GETs). Small reads are served from a 64 KiB read-ahead
 * (parquet-java's Thrift decoding asks for a few bytes at a time); a small read that starts in
 * the last 64 KiB fetches the whole tail, so a footer (its length, then its bytes) costs one read.
 * Larger reads go straight to the destination in one read each, and so do reads of a known
 * range ({@link #readFullyAt}: a label's pages, whose extent the offset index gives), whatever
 * their size. Not thread-safe.
 */
abstract class RangeReadStream extends SeekableInputStream implements PositionalReads {
    static final int READ_AHEAD = 64 * 1024;

    private final long length;
    private long position;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private long bufferStart;
    private long reads;
    private long fetched;

    RangeReadStream(long length) {
        this.length = length;
    }

    /**
     * Fills {@code into} from its position to its limit with the bytes at {@code position}.
     *
     * @throws EOFException if the file ends first
     */
    protected abstract void readFullyAt(long position, ByteBuffer into) throws IOException;

    /** @return the positional reads (ranged requests) this stream has made */
    long reads() {
        return reads;
    }

    /** @return the bytes those reads fetched, read-ahead included */
    long fetched() {
        return fetched;
    }

    /** @return what is read, for messages */
    protected abstract String describe();

    @Override
    public long getPos() {
        return position;
    }

    @Override
    public void seek(long newPos) {
        position = newPos;
    }

    @Override
    public long skip(long n) {
        position += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        if (!into.hasRemaining()) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(into.remaining(), length - position);
        if (!buffered(n) && n < READ_AHEAD / 4) {
            fill();
        }
        if (buffered(n)) {
            into.put(into.position(), buffer, (int) (position - bufferStart), n);
            into.position(into.position() + n);
        } else {
            int limit = into.limit();
            into.limit(into.position() + n);
            try {
                reads++;
                fetched += n;
                readFullyAt(position, into);
            } finally {
                into.limit(limit);
            }
        }
        position += n;
        return n;
    }

    @Override
    public void readFullyAt(long at, byte[] into, int offset, int n) throws IOException {
        if (at + n > length) {
            throw new EOFException("Reached the end of " + describe() + " (" + length + " bytes) reading " + n
                    + " bytes at " + at);
        }
        position = at;
        if (buffered(n)) {
            buffer.get((int) (position - bufferStart), into, offset, n);
        } else {
            reads++;
            fetched += n;
            readFullyAt(at, ByteBuffer.wrap(into, offset, n));
        }
        position = at + n;
    }

    private void fill() throws IOException {
        long start = length - position <= READ_AHEAD ? Math.max(0, length - READ_AHEAD) : position;
        ByteBuffer fresh = ByteBuffer.allocate((int) Math.min(READ_AHEAD, length - start));
        reads++;
        fetched += fresh.remaining();
        readFullyAt(start, fresh);
        buffer = fresh.flip();
        bufferStart = start;
    }

    private boolean buffered(int n) {
        return position >= bufferStart && position + n <= bufferStart + buffer.limit();
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
        readFully(ByteBuffer.wrap(bytes));
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws IOException {
        readFully(ByteBuffer.wrap(bytes, start, len));
    }

    @Override
    public void readFully(ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (read(into) < 0) {
                throw new EOFException("Reached the end of " + describe() + " with " + into.remaining()
                        + " bytes left to read");
            }
        }
    }
}
