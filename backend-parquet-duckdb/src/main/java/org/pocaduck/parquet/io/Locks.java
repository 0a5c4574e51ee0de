package org.pocaduck.parquet.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * Locks by name among the threads of this JVM: a semaphore per name. One table per backend
 * factory ({@code PocaDuck} keeps one factory per class loader), shared by every store it opens;
 * local stores add an OS file lock ({@link FileChannel#lock()}, released by the OS if the process
 * dies) to reach other processes too. Thread-safe.
 */
public final class Locks {
    private final ConcurrentMap<String, Semaphore> inJvm = new ConcurrentHashMap<>();

    /** How long a local lock waits before trying again when another table's holder has the file. */
    private static final long RETRY_MILLIS = 10;

    /** A held lock; closing releases it. */
    static final class Held implements StoreIO.Lock {
        private final Semaphore jvmLock;
        private final FileChannel channel;
        private final FileLock fileLock;
        private boolean closed;

        private Held(Semaphore jvmLock, FileChannel channel, FileLock fileLock) {
            this.jvmLock = jvmLock;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (fileLock != null) {
                    fileLock.release();
                    channel.close();
                }
            } catch (IOException e) {
                // Closing the channel releases the lock in any case.
            } finally {
                jvmLock.release();
            }
        }
    }

    private Semaphore semaphore(String name) {
        return inJvm.computeIfAbsent(name, k -> new Semaphore(1));
    }

    /** Waits for the in-JVM lock of a name (S3 has no locks of its own). */
    StoreIO.Lock lock(String name) {
        Semaphore jvmLock = semaphore(name);
        jvmLock.acquireUninterruptibly();
        return new Held(jvmLock, null, null);
    }

    /** @return the in-JVM lock of a name, or null if another thread holds it */
    StoreIO.Lock tryLock(String name) {
        Semaphore jvmLock = semaphore(name);
        return jvmLock.tryAcquire() ? new Held(jvmLock, null, null) : null;
    }

    /** Waits for the lock of a local file, in this JVM and across processes. */
    StoreIO.Lock lock(Path file) throws IOException {
        Semaphore jvmLock = semaphore(file.toAbsolutePath().normalize().toString());
        jvmLock.acquireUninterruptibly();
        try {
            while (true) {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    return new Held(jvmLock, channel, channel.lock());
                } catch (OverlappingFileLockException e) {
                    // Held in this JVM through another table (a second factory instance): wait.
                    channel.close();
                    sleep();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            jvmLock.release();
            throw e;
        }
    }

    /** @return the lock of a local file, or null if a thread of this JVM or another process holds it */
    StoreIO.Lock tryLock(Path file) throws IOException {
        Semaphore jvmLock = semaphore(file.toAbsolutePath().normalize().toString());
        if (!jvmLock.tryAcquire()) {
            return null;
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock;
            try {
                fileLock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                fileLock = null; // held in this JVM through another table
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (fileLock == null) {
                channel.close();
                jvmLock.release();
                return null;
            }
            return new Held(jvmLock, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            jvmLock.release();
            throw e;
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock", e);
        }
    }
}
