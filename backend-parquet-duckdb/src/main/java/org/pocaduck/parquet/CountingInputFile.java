package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An {@link InputFile} that counts the bytes read through it, for {@code QueryTiming.bytesRead},
 * and the read requests of its closed streams ({@link RangeReadStream}s), for
 * {@code QueryTiming.readRequests}.
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

    private final class Counting extends SeekableInputStream {
        private final SeekableInputStream in;

        Counting(SeekableInputStream in) {
            this.in = in;
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
        public void readFully(byte[] bytes) throws IOException {
            in.readFully(bytes);
            CountingInputFile.this.bytes.add(bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            in.readFully(bytes, start, len);
            CountingInputFile.this.bytes.add(len);
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            int n = in.read(buf);
            if (n > 0) {
                bytes.add(n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            in.readFully(buf);
            bytes.add(n);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                bytes.add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                bytes.add(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in instanceof RangeReadStream ranged) {
                requests.add(ranged.reads());
            }
            in.close();
        }
    }
}
