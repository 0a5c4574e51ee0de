package org.pocaduck.parquet.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a store's files live, in the manner of Iceberg's {@code FileIO}: every read, write, list
 * and delete of the backend goes through it by the names of {@link StoreLayout} (relative, with
 * {@code /} separators). Two implementations: {@link LocalStoreIO} (a directory: write to a
 * temporary name, sync, rename) and {@link S3StoreIO} (an S3 bucket and prefix: complete objects,
 * ranged reads); the Parquet reader reads either through {@link #openReadable}. DuckDB opens only local files, so index files are built in local staging files
 * and published, and read through {@link #localFile}. Thread-safe.
 */
public interface StoreIO extends Closeable {
    /** @return the store's root as a user knows it (an absolute directory, {@code s3://bucket/prefix}) */
    String root();

    /** @return where a name points, for messages (never containing a secret) */
    String describe(String name);

    /**
     * @return true if {@link #lock}/{@link #tryLock} exclude other processes too (a local file
     *     system); false if they hold only inside this JVM (S3 has no locks)
     */
    boolean locksAcrossProcesses();

    /** Waits for the lock named. */
    Lock lock(String name) throws IOException;

    /** @return the lock, or null if another thread (or, where locks reach that far, process) holds it */
    Lock tryLock(String name) throws IOException;

    /** A held lock; closing releases it. */
    interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /** A small file's content and version (an S3 ETag; on a local disk, the content itself). */
    record Versioned(byte[] bytes, String version) {
        /** @return the content as UTF-8 text, trimmed (a pointer such as {@code CURRENT}) */
        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
        }
    }

    /** @return a small file's bytes and version, or null if it does not exist */
    Versioned read(String name) throws IOException;

    /** Replaces (or creates) a small file in one step: a reader sees the old or the new bytes. */
    void write(String name, byte[] bytes) throws IOException;

    /**
     * Replaces a small file only if it still has the version given (null: only if it does not
     * exist). Local stores call it holding the store lock; on S3 it is a conditional PUT
     * ({@code If-Match} / {@code If-None-Match: *}) where the server supports those.
     *
     * @return false if the file changed meanwhile (nothing written)
     */
    boolean writeIf(String name, byte[] bytes, String expectedVersion) throws IOException;

    /**
     * @return the file's length in bytes
     * @throws java.nio.file.NoSuchFileException if it does not exist
     */
    long length(String name) throws IOException;

    /**
     * Opens a file for positional reads: a local file's channel, or an object read with one
     * ranged GET per read. Data files are never rewritten, so a length learnt once stays right.
     *
     * @return the open file; the caller closes it
     * @throws java.nio.file.NoSuchFileException if it does not exist
     */
    ReadableFile openReadable(String name) throws IOException;

    /**
     * A file open for positional reads, each a read of exactly the bytes asked for. Reads at
     * different positions may run from several threads at once.
     */
    interface ReadableFile extends Closeable {
        /** @return the file's length in bytes */
        long length();

        /**
         * Fills {@code into} from its position to its limit with the bytes at {@code position}.
         *
         * @throws java.io.EOFException if the file ends first
         */
        void readFully(long position, ByteBuffer into) throws IOException;

        /** @return what is read, for messages (never a secret) */
        String describe();
    }

    /**
     * @return a new local file (not yet created) in which to build what {@link #publish} will make
     *     {@code name}; deleted by the caller if it is not published
     */
    Path stagingFile(String name) throws IOException;

    /**
     * Makes a finished local file (from {@link #stagingFile}) the file {@code name}: all of it or
     * nothing is ever visible. The local file is consumed (moved or uploaded and removed).
     */
    void publish(Path local, String name) throws IOException;

    /**
     * Publishes like {@link #publish} and returns a local file with the published bytes, as
     * {@link #localFile} would, without reading them back: the file itself on a local store; on
     * S3 the staging file, kept as the cached copy of the new object.
     */
    Path publishAndKeep(Path local, String name) throws IOException;

    /**
     * @return a local file with the bytes of {@code name}, for DuckDB: the file itself on a local
     *     store; a download, verified by length and version and reused while they match, on S3
     * @throws java.nio.file.NoSuchFileException if it does not exist
     */
    Path localFile(String name) throws IOException;

    /** @return the names (last part only) of the files and directories directly in a directory; empty if none */
    List<String> list(String directory) throws IOException;

    /** @return true if the file exists */
    boolean exists(String name) throws IOException;

    /** Deletes a file; a missing one is ignored. */
    void delete(String name) throws IOException;

    /** Deletes a directory and everything under it; missing entries are ignored. */
    void deleteTree(String directory) throws IOException;
}
