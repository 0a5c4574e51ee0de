package org.pocaduck.parquet.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.pocaduck.parquet.io.StoreIO;

/**
 * A store's file for parquet-java, on any {@link StoreIO}: each stream reads through a
 * {@link RangeReadStream} over the file's positional reads (a local channel, ranged GETs), so a
 * footer costs one read and each page range one more; an object is never downloaded whole.
 * parquet-java's own local stream reads arrays a byte (a system call) at a time, and its Thrift
 * decoding of page indexes asks for a few bytes at a time, which together cost about 10 ms per
 * label read. Owns the open file: closing the input file closes it; streams do not.
 */
final class StoreInputFile implements InputFile, AutoCloseable {
    private final StoreIO.ReadableFile file;

    /**
     * @param file an open file; this input file closes it
     */
    StoreInputFile(StoreIO.ReadableFile file) {
        this.file = file;
    }

    @Override
    public long getLength() {
        return file.length();
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangeReadStream(file.length()) {
            @Override
            protected void readFullyAt(long position, ByteBuffer into) throws IOException {
                file.readFully(position, into);
            }

            @Override
            protected String describe() {
                return file.describe();
            }

            @Override
            public void close() {
                // The input file owns the open file.
            }
        };
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    @Override
    public String toString() {
        return file.describe();
    }
}
