package org.pocaduck.python;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pocaduck.StorageException;

/**
 * The files of a store written by the original Python PoCADuck, found under its root directory,
 * and the rule that maps the absolute paths its indexes hold onto this root.
 *
 * <p>Layout (JaneliaSciComp/pocaduck, {@code ingestor.py} and {@code optimize_point_cloud.py}):
 * <ul>
 *   <li>{@value #UNIFIED_INDEX}: the consolidated index;</li>
 *   <li>{@code worker_<id>/index_<id>.db}: each worker's index, over {@code worker_<id>/data/*.parquet};</li>
 *   <li>{@value #OPTIMIZED_INDEX}: the optimizer's index, over
 *       {@code optimized/optimize_<id>/*.parquet}.</li>
 * </ul>
 * Immutable and thread-safe.
 *
 * @param root the store's root directory, absolute and normalized
 * @param unifiedIndex {@value #UNIFIED_INDEX}, if present
 * @param workerIndexes each worker's index by worker id, sorted by id
 * @param optimizedIndex {@value #OPTIMIZED_INDEX}, if present
 */
record PythonStoreLayout(Path root, Optional<Path> unifiedIndex, SortedMap<String, Path> workerIndexes,
        Optional<Path> optimizedIndex) {
    /** The consolidated index, relative to the root. */
    static final String UNIFIED_INDEX = "unified_index.db";
    /** The optimizer's index, relative to the root. */
    static final String OPTIMIZED_INDEX = "optimized/optimized_index.db";
    /** Prefix of a worker's directory: {@code worker_<id>}. */
    static final String WORKER_PREFIX = "worker_";
    /** The directory the optimizer writes under. */
    static final String OPTIMIZED_DIR = "optimized";
    /** What {@link #scan} looks for, for messages. */
    static final String LOOKED_FOR = UNIFIED_INDEX + ", " + WORKER_PREFIX + "<id>/index_<id>.db or " + OPTIMIZED_INDEX;
    /** The path rule of {@link #resolve}, for messages. */
    static final String PATH_RULE = "a path whose last three components are " + WORKER_PREFIX
            + "<id>/data/<file> or " + OPTIMIZED_DIR + "/optimize_<id>/<file> is taken relative to the store root; "
            + "any other path is used as written (relative to the root if relative) if that file exists";

    PythonStoreLayout {
        workerIndexes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(workerIndexes));
    }

    /**
     * Finds the index files under a root directory.
     *
     * @param root an existing directory
     * @throws StorageException if the directory cannot be listed
     */
    static PythonStoreLayout scan(Path root) {
        Path unified = root.resolve(UNIFIED_INDEX);
        Path optimized = root.resolve(OPTIMIZED_INDEX);
        return new PythonStoreLayout(root, Files.isRegularFile(unified) ? Optional.of(unified) : Optional.empty(),
                workerIndexes(root), Files.isRegularFile(optimized) ? Optional.of(optimized) : Optional.empty());
    }

    /** @return the {@code worker_<id>/} directories holding {@code index_<id>.db}, by id */
    private static SortedMap<String, Path> workerIndexes(Path root) {
        SortedMap<String, Path> indexes = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, WORKER_PREFIX + "?*")) {
            for (Path dir : dirs) {
                String id = dir.getFileName().toString().substring(WORKER_PREFIX.length());
                Path index = dir.resolve("index_" + id + ".db");
                if (Files.isRegularFile(index)) {
                    indexes.put(id, index);
                }
            }
        } catch (IOException e) {
            throw new StorageException("Cannot list the worker directories of pocaduck-python store " + root + ": "
                    + e.getMessage(), e);
        }
        return indexes;
    }

    /** @return true if the root holds none of the index files */
    boolean isEmpty() {
        return unifiedIndex.isEmpty() && workerIndexes.isEmpty() && optimizedIndex.isEmpty();
    }

    /**
     * The indexes that list (label, block) rows: the unified index if present, else every
     * worker's index.
     */
    List<Path> blockIndexes() {
        return unifiedIndex.map(List::of).orElseGet(() -> List.copyOf(workerIndexes.values()));
    }

    /**
     * Maps a file path an index holds onto this store, by {@link #PATH_RULE}: the original writes
     * absolute paths of the machine that wrote the store, so a moved or copied store names files
     * where they no longer are.
     *
     * @param root the store root
     * @param indexedPath the {@code file_path} as the index holds it
     * @return the file under the root for the store's own layouts (whether it exists or not), else
     *     the path as written if that file exists, else empty
     */
    static Optional<Path> resolve(Path root, String indexedPath) {
        // Split on both separators: a store written on Windows names its files with backslashes.
        String[] parts = indexedPath.split("[/\\\\]+");
        int n = parts.length;
        if (n >= 3) {
            String first = parts[n - 3];
            boolean worker = first.startsWith(WORKER_PREFIX) && first.length() > WORKER_PREFIX.length();
            if (worker || first.equals(OPTIMIZED_DIR)) {
                return Optional.of(root.resolve(first).resolve(parts[n - 2]).resolve(parts[n - 1]));
            }
        }
        try {
            Path written = Paths.get(indexedPath);
            Path asWritten = written.isAbsolute() ? written : root.resolve(written);
            return Files.isRegularFile(asWritten) ? Optional.of(asWritten) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
