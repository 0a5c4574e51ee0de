package org.pocaduck.parquet.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A store in a local (or shared, POSIX) directory: crash-safe writes by temporary name, sync and
 * atomic rename ({@link FileOps}); locks are lock files held across processes ({@link Locks}).
 */
public final class LocalStoreIO implements StoreIO {
    private final Path root;
    private final Locks locks;

    /**
     * @param root the store's directory
     * @param locks the in-JVM lock table of the factory opening the store
     */
    public LocalStoreIO(Path root, Locks locks) {
        this.root = root;
        this.locks = locks;
    }

    /** @return the local path of a store file or directory */
    public Path path(String name) {
        return name.isEmpty() ? root : root.resolve(name);
    }

    @Override
    public String root() {
        return root.toString();
    }

    @Override
    public String describe(String name) {
        return path(name).toString();
    }

    @Override
    public boolean locksAcrossProcesses() {
        return true;
    }

    /** Waits for the lock; its directory must exist (the root, for {@code store.lock}). */
    @Override
    public Lock lock(String name) throws IOException {
        Path directory = path(name).getParent();
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory + " (the store directory is gone)");
        }
        return locks.lock(path(name));
    }

    @Override
    public Lock tryLock(String name) throws IOException {
        Files.createDirectories(path(name).getParent());
        return locks.tryLock(path(name));
    }

    @Override
    public Versioned read(String name) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(path(name));
            return new Versioned(bytes, version(bytes));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String version(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte: the content itself
    }

    @Override
    public void write(String name, byte[] bytes) throws IOException {
        Files.createDirectories(path(name).getParent());
        FileOps.writeAtomically(path(name), bytes);
    }

    @Override
    public boolean writeIf(String name, byte[] bytes, String expectedVersion) throws IOException {
        Versioned current = read(name);
        String actual = current == null ? null : current.version();
        if (expectedVersion == null ? actual != null : !expectedVersion.equals(actual)) {
            return false;
        }
        write(name, bytes);
        return true;
    }

    @Override
    public long length(String name) throws IOException {
        return Files.size(path(name));
    }

    /** A file channel: positional reads, one system call each (a local disk has no request cost). */
    @Override
    public ReadableFile openReadable(String name) throws IOException {
        Path file = path(name);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long length;
        try {
            length = channel.size();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ReadableFile() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void readFully(long position, ByteBuffer into) throws IOException {
                long at = position;
                while (into.hasRemaining()) {
                    int n = channel.read(into, at);
                    if (n < 0) {
                        throw new EOFException("Reached the end of " + file + " at byte " + at);
                    }
                    at += n;
                }
            }

            @Override
            public String describe() {
                return file.toString();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Override
    public Path stagingFile(String name) throws IOException {
        Path target = path(name);
        Files.createDirectories(target.getParent());
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8)
                + ".tmp");
    }

    @Override
    public void publish(Path local, String name) throws IOException {
        FileOps.syncAndMove(local, path(name));
    }

    @Override
    public Path publishAndKeep(Path local, String name) throws IOException {
        publish(local, name);
        return path(name);
    }

    @Override
    public Path localFile(String name) throws IOException {
        Path file = path(name);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return file;
    }

    @Override
    public List<String> list(String directory) throws IOException {
        Path dir = path(directory);
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return names;
        }
        return names;
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(path(name));
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(path(name));
    }

    @Override
    public void deleteTree(String directory) throws IOException {
        FileOps.deleteTree(path(directory));
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
