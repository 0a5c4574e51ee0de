package org.pocaduck.parquet.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An {@link InputFile} that counts the bytes read through it, for {@code QueryTiming.bytesRead},
 * and the read requests of its closed streams, for {@code QueryTiming.readRequests}. Of a
 * {@link RangeReadStream} both are what it fetched from storage, read-ahead included; of any
 * other stream, the bytes handed to the reader.
 */
final class CountingInputFile implements InputFile {
    private final InputFile delegate;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder requests = new LongAdder();

    CountingInputFile(InputFile delegate) {
        this.delegate = delegate;
    }

    long bytesRead() {
        return bytes.sum();
    }

    long readRequests() {
        return requests.sum();
    }

    @Override
    public long getLength() throws IOException {
        return delegate.getLength();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        return new Counting(delegate.newStream());
    }

    private final class Counting extends SeekableInputStream implements PositionalReads {
        private final SeekableInputStream in;
        /** Not a RangeReadStream: bytes are counted as they are handed over. */
        private final boolean countCalls;

        Counting(SeekableInputStream in) {
            this.in = in;
            this.countCalls = !(in instanceof RangeReadStream);
        }

        private void count(long n) {
            if (countCalls && n > 0) {
                bytes.add(n);
            }
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
            in.seek(newPos);
        }

        @Override
        public void readFullyAt(long position, byte[] into, int offset, int length) throws IOException {
            PositionalReads.readFully(in, position, into, offset, length);
            count(length);
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            in.readFully(bytes);
            count(bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            in.readFully(bytes, start, len);
            count(len);
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            int n = in.read(buf);
            count(n);
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            in.readFully(buf);
            count(n);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            count(b >= 0 ? 1 : 0);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in instanceof RangeReadStream ranged) {
                requests.add(ranged.reads());
                bytes.add(ranged.fetched());
            }
            in.close();
        }
    }
}
