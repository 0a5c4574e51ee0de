package org.pocaduck.tabular;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.pocaduck.StorageException;
import org.pocaduck.s3.S3Bucket;

/**
 * Where workers put their rows as Parquet files for the Trino server to register
 * ({@code staging_location}): a local directory or an S3 prefix, with the URI the server reads
 * it by ({@code staging_server_location}). A worker run's files go under
 * {@code <table>/<worker id>/<generation>/}, so each run's directory is its own: registering it
 * adds exactly that run's files. Once registered, the files are the table's data: they stay.
 * Thread-safe.
 */
abstract class StagingArea implements AutoCloseable {
    private final String serverLocation;

    private StagingArea(String serverLocation) {
        this.serverLocation = serverLocation.endsWith("/") ? serverLocation.substring(0, serverLocation.length() - 1)
                : serverLocation;
    }

    /** @return the staging area of a store's settings; the caller closes it */
    static StagingArea open(TabularSettings settings) {
        String location = settings.stagingLocation().orElseThrow();
        String server = settings.stagingServerLocation().orElseThrow();
        if (settings.stagingS3().isPresent()) {
            return new OnS3(S3Bucket.open(settings.stagingS3().get(), "open the staging location"), server);
        }
        return new Local(Path.of(location), server);
    }

    /** @return the relative directory of a worker run's files */
    static String runDirectory(String table, String workerId, long generation) {
        return table + "/" + workerId + "/" + generation;
    }

    /** @return the URI the Trino server reads a run's directory by */
    String serverDirectory(String run) {
        return serverLocation + "/" + run;
    }

    /**
     * @return a new local file (not yet created) in which to write what {@link #put} will make
     *     the file {@code name} of a run; deleted by the caller if it is not put
     */
    abstract Path temporaryFile(String run, String name) throws IOException;

    /**
     * Makes a finished local Parquet file the file {@code name} of a run: whole or not at all.
     * The local file is consumed.
     */
    abstract void put(Path local, String run, String name) throws IOException;

    /** Deletes the files of a run (a run never registered). */
    abstract void deleteRun(String run) throws IOException;

    /** @return where a run's files are, for messages */
    abstract String describe(String run);

    @Override
    public void close() {
    }

    /** A local (or shared) directory: files are moved in atomically. */
    private static final class Local extends StagingArea {
        private final Path root;

        Local(Path root, String serverLocation) {
            super(serverLocation);
            this.root = root;
        }

        /** A hidden name in the run's directory: add_files skips names starting with '.'. */
        @Override
        Path temporaryFile(String run, String name) throws IOException {
            Path directory = root.resolve(run);
            Files.createDirectories(directory);
            return directory.resolve("." + name + "." + java.util.UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        }

        @Override
        void put(Path local, String run, String name) throws IOException {
            Path target = root.resolve(run).resolve(name);
            Files.createDirectories(target.getParent());
            try {
                Files.move(local, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Another file system: copy under a hidden name (add_files skips names starting
                // with '.'), then rename within the directory.
                Path hidden = target.resolveSibling("." + name + ".tmp");
                Files.copy(local, hidden, StandardCopyOption.REPLACE_EXISTING);
                Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.delete(local);
            }
        }

        @Override
        void deleteRun(String run) throws IOException {
            Path directory = root.resolve(run);
            if (!Files.exists(directory)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        @Override
        String describe(String run) {
            return root.resolve(run).toString();
        }
    }

    /** An S3 prefix: each file is one object, uploaded whole. */
    private static final class OnS3 extends StagingArea {
        private final S3Bucket bucket;

        OnS3(S3Bucket bucket, String serverLocation) {
            super(serverLocation);
            this.bucket = bucket;
        }

        @Override
        Path temporaryFile(String run, String name) throws IOException {
            Path directory = bucket.options().cacheDir().resolve("staging");
            Files.createDirectories(directory);
            return directory.resolve(java.util.UUID.randomUUID().toString().substring(0, 13) + "-" + name);
        }

        @Override
        void put(Path local, String run, String name) throws IOException {
            try {
                bucket.upload(local, run + "/" + name);
            } finally {
                Files.deleteIfExists(local);
            }
        }

        @Override
        void deleteRun(String run) throws IOException {
            bucket.deleteTree(run);
        }

        @Override
        String describe(String run) {
            return bucket.describe(run);
        }

        @Override
        public void close() {
            bucket.close();
        }
    }

    /** @return a failure to stage, naming the option and where */
    static StorageException failure(String what, String where, Exception e) {
        return new StorageException("Cannot " + what + " in the staging location " + where + " ("
                + TabularSettings.STAGING_LOCATION + "): " + e.getMessage(), e);
    }
}
