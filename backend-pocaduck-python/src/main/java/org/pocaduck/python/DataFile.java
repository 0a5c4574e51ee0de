package org.pocaduck.python;

import java.nio.file.Path;
import java.util.Optional;
import org.pocaduck.StorageException;

/**
 * One data file an index names, mapped onto the store by {@link PythonStoreLayout#resolve}.
 *
 * @param indexedPath the {@code file_path} as the index holds it
 * @param index the index file that names it
 * @param path where it is in this store, if the path rule gives a place
 * @param exists true if that file exists
 * @param bytes its size in bytes (0 if missing)
 */
record DataFile(String indexedPath, Path index, Optional<Path> path, boolean exists, long bytes) {
    /**
     * @param root the store root, for the message
     * @return the file to read
     * @throws StorageException naming the path, the index and the rule if the file cannot be
     *     found
     */
    Path require(Path root) {
        if (path.isEmpty()) {
            throw new StorageException("Cannot find data file '" + indexedPath + "' named in index " + index
                    + " of pocaduck-python store " + root + ": " + PythonStoreLayout.PATH_RULE
                    + ", and no such file exists");
        }
        if (!exists) {
            throw new StorageException("Cannot read data file " + path.get() + " of pocaduck-python store " + root
                    + ": it is missing (index " + index + " names it as '" + indexedPath + "'; "
                    + PythonStoreLayout.PATH_RULE + ")");
        }
        return path.get();
    }
}
