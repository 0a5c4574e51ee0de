package org.pocaduck.parquet.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker run's index rows as they are produced, flush after flush, kept in a file of the run
 * directory rather than in memory until commit reads them into the run's DuckDB index. A run of
 * many labels has millions of rows (one per label, block and file): as objects they outgrew the
 * ingestor's memory budget; here they cost 64 KiB of buffer. Record: label, row start and point
 * count (8 bytes each), the data file's number in the run (4), the block id (modified UTF-8).
 * Used by one thread; the file goes with the run directory.
 */
public final class IndexEntrySpill implements AutoCloseable {
    /** Receives one index row. */
    interface Row {
        void accept(long label, String blockId, int file, long rowStart, long pointCount) throws IOException;
    }

    private final Path file;
    private DataOutputStream out;
    private long rows;

    public IndexEntrySpill(Path file) {
        this.file = file;
    }

    /** Appends one row. */
    public void add(long label, String blockId, int fileNumber, long rowStart, long pointCount) throws IOException {
        if (out == null) {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }
        out.writeLong(label);
        out.writeLong(rowStart);
        out.writeLong(pointCount);
        out.writeInt(fileNumber);
        out.writeUTF(blockId);
        rows++;
    }

    /** @return rows added */
    long rows() {
        return rows;
    }

    /** Reads every row back, in the order added. */
    void forEach(Row consumer) throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        if (rows == 0) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            for (long r = 0; r < rows; r++) {
                long label = in.readLong();
                long rowStart = in.readLong();
                long pointCount = in.readLong();
                int fileNumber = in.readInt();
                consumer.accept(label, in.readUTF(), fileNumber, rowStart, pointCount);
            }
        } catch (EOFException e) {
            throw new IOException("index rows in " + file + " end before row " + rows, e);
        }
    }

    /** Closes and deletes the file. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        Files.deleteIfExists(file);
    }
}
