package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An object of an S3 store for parquet-java, read with ranged GETs straight from the object
 * through a {@link RangeReadStream}: a footer costs one request, each page range one more; the
 * file is never downloaded whole.
 */
final class S3InputFile implements InputFile {
    private final S3StoreIO io;
    private final String name;
    private final long length;

    S3InputFile(S3StoreIO io, String name, long length) {
        this.io = io;
        this.name = name;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangeReadStream(length) {
            @Override
            protected void readFullyAt(long position, ByteBuffer into) throws IOException {
                int n = into.remaining();
                if (into.hasArray()) {
                    io.readRange(name, position, into.array(), into.arrayOffset() + into.position(), n);
                    into.position(into.position() + n);
                } else {
                    byte[] bytes = new byte[n];
                    io.readRange(name, position, bytes, 0, n);
                    into.put(bytes);
                }
            }

            @Override
            protected String describe() {
                return io.describe(name);
            }

            @Override
            public void close() {
                // Each range is its own request: nothing held between them.
            }
        };
    }

    @Override
    public String toString() {
        return io.describe(name);
    }
}
