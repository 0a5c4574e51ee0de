package org.pocaduck.parquet;

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
 * Locks that hold across threads of this JVM and across processes: a JVM-wide lock per path
 * plus an OS file lock ({@link FileChannel#lock()}), which the OS releases if the process dies.
 */
final class Locks {
    private static final ConcurrentMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();

    private Locks() {
    }

    /** A held lock; closing releases it. */
    static final class Held implements AutoCloseable {
        private final Semaphore jvmLock;
        private final FileChannel channel;
        private final FileLock fileLock;

        private Held(Semaphore jvmLock, FileChannel channel, FileLock fileLock) {
            this.jvmLock = jvmLock;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public void close() {
            try {
                fileLock.release();
                channel.close();
            } catch (IOException e) {
                // Closing the channel releases the lock in any case.
            } finally {
                jvmLock.release();
            }
        }
    }

    /** Waits for the lock. */
    static Held lock(Path file) throws IOException {
        Semaphore jvmLock = IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Semaphore(1));
        jvmLock.acquireUninterruptibly();
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new Held(jvmLock, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            jvmLock.release();
            throw e;
        }
    }

    /** Takes the lock if free, or returns null if this or another process holds it. */
    static Held tryLock(Path file) throws IOException {
        Semaphore jvmLock = IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Semaphore(1));
        if (!jvmLock.tryAcquire()) {
            return null;
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock;
            try {
                fileLock = channel.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
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
}
