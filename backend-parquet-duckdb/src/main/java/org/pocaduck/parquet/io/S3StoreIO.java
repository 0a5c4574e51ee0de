package org.pocaduck.parquet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.pocaduck.s3.S3Bucket;
import org.pocaduck.s3.S3Options;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A store under an S3 bucket and prefix, on AWS S3 or any S3-compatible server: the
 * {@link StoreIO} semantics over an {@link S3Bucket} (whole-object uploads, ranged reads,
 * conditional writes; failures name the bucket and key, never a secret).
 *
 * <ul>
 *   <li>Files are objects written whole ({@link S3Bucket#upload}), so no reader ever sees part of
 *       one.
 *   <li>Reads are ranged GETs ({@link #openReadable}); a body cut off mid-read is fetched again.
 *   <li>{@link #localFile} keeps downloads under {@code cache_dir/<bucket>/<prefix>/}, each with a
 *       {@code .etag} file (length and ETag) checked against the object by one HEAD.
 *   <li>{@link #writeIf} is a conditional PUT ({@code If-Match: etag}, or {@code If-None-Match: *}
 *       for a new object), after a HEAD that checks the version, so servers that ignore the
 *       conditional headers still catch all but a concurrent write inside that gap.
 *   <li>S3 has no locks: {@link #lock} and {@link #tryLock} hold only inside this JVM.
 * </ul>
 */
public final class S3StoreIO implements StoreIO {
    private static final String ETAG_SUFFIX = ".etag";

    private final Locks locks;
    private final S3Bucket bucket;
    private final Path cacheRoot;
    private final Path stagingDir;
    /** Lengths of objects read through {@link #openReadable}: data files are never rewritten. */
    private final Map<String, Long> lengths = new ConcurrentHashMap<>();

    private S3StoreIO(S3Bucket bucket, Locks locks) {
        this.locks = locks;
        this.bucket = bucket;
        S3Options options = bucket.options();
        Path cache = options.cacheDir().resolve(options.bucket());
        this.cacheRoot = options.prefix().isEmpty() ? cache : cache.resolve(options.prefix());
        this.stagingDir = options.cacheDir().resolve("staging");
    }

    /**
     * Connects and checks that the bucket can be reached with these credentials.
     *
     * @param locks the in-JVM lock table of the factory opening the store
     * @throws org.pocaduck.StorageException naming the bucket and what failed (missing bucket,
     *     access denied, endpoint unreachable)
     */
    public static S3StoreIO open(S3Options options, Locks locks) {
        return new S3StoreIO(S3Bucket.open(options, "open store"), locks);
    }

    /** @return the bucket the store is in */
    public S3Bucket bucket() {
        return bucket;
    }

    @Override
    public String root() {
        return bucket.options().uri();
    }

    @Override
    public String describe(String name) {
        return bucket.describe(name);
    }

    @Override
    public boolean locksAcrossProcesses() {
        return false;
    }

    @Override
    public Lock lock(String name) {
        return locks.lock(describe(name));
    }

    @Override
    public Lock tryLock(String name) {
        return locks.tryLock(describe(name));
    }

    @Override
    public Versioned read(String name) throws IOException {
        S3Bucket.Bytes bytes = bucket.get(name);
        return bytes == null ? null : new Versioned(bytes.bytes(), bytes.etag());
    }

    @Override
    public void write(String name, byte[] bytes) throws IOException {
        bucket.put(name, bytes);
    }

    @Override
    public boolean writeIf(String name, byte[] bytes, String expectedVersion) throws IOException {
        String actual = version(name);
        if (expectedVersion == null ? actual != null : !expectedVersion.equals(actual)) {
            return false;
        }
        return bucket.putIf(name, bytes, expectedVersion);
    }

    /** @return the object's ETag, or null if it does not exist */
    private String version(String name) throws IOException {
        try {
            return bucket.head(name).eTag();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public long length(String name) throws IOException {
        return bucket.head(name).contentLength();
    }

    @Override
    public ReadableFile openReadable(String name) throws IOException {
        Long known = lengths.get(name);
        if (known == null) {
            known = length(name);
            lengths.put(name, known);
        }
        long length = known;
        return new ReadableFile() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void readFully(long position, ByteBuffer into) throws IOException {
                int n = into.remaining();
                if (into.hasArray()) {
                    bucket.readRange(name, position, into.array(), into.arrayOffset() + into.position(), n);
                    into.position(into.position() + n);
                } else {
                    byte[] bytes = new byte[n];
                    bucket.readRange(name, position, bytes, 0, n);
                    into.put(bytes);
                }
            }

            @Override
            public String describe() {
                return S3StoreIO.this.describe(name);
            }

            @Override
            public void close() {
                // Each range is its own request: nothing held between them.
            }
        };
    }

    @Override
    public Path stagingFile(String name) throws IOException {
        Files.createDirectories(stagingDir);
        String base = name.substring(name.lastIndexOf('/') + 1);
        return stagingDir.resolve(UUID.randomUUID().toString().substring(0, 13) + "-" + base);
    }

    @Override
    public void publish(Path local, String name) throws IOException {
        bucket.upload(local, name);
        Files.deleteIfExists(local);
    }

    /** Keeps the staging file as the cached copy of the new object (see {@link #localFile}). */
    @Override
    public Path publishAndKeep(Path local, String name) throws IOException {
        String etag = bucket.upload(local, name);
        Path cached = cachePath(name);
        Files.createDirectories(cached.getParent());
        Files.move(local, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writeCacheTag(cached, Files.size(cached), etag);
        return cached;
    }

    Path cachePath(String name) {
        return cacheRoot.resolve(name);
    }

    @Override
    public Path localFile(String name) throws IOException {
        HeadObjectResponse head = bucket.head(name);
        Path cached = cachePath(name);
        Path tag = cached.resolveSibling(cached.getFileName() + ETAG_SUFFIX);
        String expected = head.contentLength() + " " + head.eTag();
        try {
            if (Files.size(cached) == head.contentLength() && Files.readString(tag).strip().equals(expected)) {
                return cached;
            }
        } catch (NoSuchFileException e) {
            // Not cached yet.
        }
        Files.createDirectories(cached.getParent());
        Path temp = cached.resolveSibling("." + cached.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            bucket.download(name, head.eTag(), temp);
            Files.move(temp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        writeCacheTag(cached, head.contentLength(), head.eTag());
        return cached;
    }

    private static void writeCacheTag(Path cached, long length, String etag) throws IOException {
        Path tag = cached.resolveSibling(cached.getFileName() + ETAG_SUFFIX);
        FileOps.writeAtomically(tag, (length + " " + etag).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return bucket.list(directory);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return version(name) != null;
    }

    @Override
    public void delete(String name) throws IOException {
        bucket.delete(name);
        lengths.remove(name);
        dropCached(name);
    }

    /** Removes a cached copy and the files derived from it beside it ({@code <file>.*}). */
    private void dropCached(String name) throws IOException {
        Path cached = cachePath(name);
        Path dir = cached.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        String base = cached.getFileName().toString();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String file = p.getFileName().toString();
                if (file.equals(base) || file.startsWith(base + ".")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void deleteTree(String directory) throws IOException {
        bucket.deleteTree(directory);
        lengths.keySet().removeIf(name -> name.startsWith(directory + "/"));
        FileOps.deleteTree(cachePath(directory));
    }

    @Override
    public void close() {
        bucket.close();
    }
}
