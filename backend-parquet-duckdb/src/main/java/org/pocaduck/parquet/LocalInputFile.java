package org.pocaduck.parquet;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A local file for parquet-java read with positional {@link FileChannel} reads. parquet-java's
 * own {@code LocalInputFile} stream reads arrays one byte (one system call) at a time, and its
 * Thrift decoding of page indexes asks for a few bytes at a time, which together cost about
 * 10 ms per label read; this stream serves small reads from a 64 KiB read-ahead buffer and reads
 * large ranges in one call.
 */
final class LocalInputFile implements InputFile {
    private final Path path;

    LocalInputFile(Path path) {
        this.path = path;
    }

    @Override
    public long getLength() throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.size();
        }
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        return new Stream(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static final class Stream extends SeekableInputStream {
        private static final int BUFFER = 64 * 1024;

        private final FileChannel channel;
        private long position;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).limit(0);
        private long bufferStart;

        Stream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPos) {
            position = newPos;
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
        public int read(ByteBuffer buf) throws IOException {
            if (!buf.hasRemaining()) {
                return 0;
            }
            if (!buffered() && buf.remaining() < BUFFER / 4) {
                buffer.clear();
                bufferStart = position;
                int filled = channel.read(buffer, position);
                buffer.flip();
                if (filled <= 0) {
                    buffer.limit(0);
                    return -1;
                }
            }
            if (buffered()) {
                int from = (int) (position - bufferStart);
                int n = Math.min(buf.remaining(), buffer.limit() - from);
                buf.put(buf.position(), buffer, from, n);
                buf.position(buf.position() + n);
                position += n;
                return n;
            }
            int n = channel.read(buf, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        /** @return true if the byte at the position is in the read-ahead buffer */
        private boolean buffered() {
            return position >= bufferStart && position < bufferStart + buffer.limit();
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
        public void readFully(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                int n = read(buf);
                if (n < 0) {
                    throw new EOFException("Reached the end of the file with " + buf.remaining() + " bytes left to read");
                }
            }
        }

        @Override
        public long skip(long n) {
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
