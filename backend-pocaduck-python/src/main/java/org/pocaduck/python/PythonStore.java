package org.pocaduck.python;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.pocaduck.ConfigurationException;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.spi.BackendIngestor;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.BackendStore;

/**
 * An open store of the original Python PoCADuck: its indexes attached read-only at open (see
 * {@link PythonStoreIndex}); queries share them. Read-only: the store is never changed.
 * Thread-safe. The caller closes it; queries still open keep working on their own connections
 * until they end, but new ones cannot be opened.
 */
final class PythonStore implements BackendStore {
    private final PythonStoreLayout layout;
    private final PythonStoreIndex index;

    private PythonStore(PythonStoreLayout layout, PythonStoreIndex index) {
        this.layout = layout;
        this.index = index;
    }

    /**
     * Opens the store at the config's location.
     *
     * @throws StoreNotFoundException if the location is not a directory holding one of the
     *     original's index files (this type never creates a store)
     * @throws ConfigurationException if the location is not a valid local path
     * @throws org.pocaduck.StorageException if an index cannot be read
     */
    static PythonStore open(StorageConfig config) {
        Path root;
        try {
            root = Paths.get(config.location()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigurationException("Invalid option '" + StorageConfig.LOCATION + "' = '" + config.location()
                    + "' for storage type '" + PythonStoreBackendFactory.STORAGE_TYPE
                    + "': it is not a local directory path: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(root)) {
            throw notFound(root, "it is not a directory");
        }
        PythonStoreLayout layout = PythonStoreLayout.scan(root);
        if (layout.isEmpty()) {
            throw notFound(root, "it holds none of the index files");
        }
        return new PythonStore(layout, PythonStoreIndex.open(layout));
    }

    private static StoreNotFoundException notFound(Path root, String reason) {
        return new StoreNotFoundException("No pocaduck-python store at " + root + ": " + reason + " (looked for "
                + PythonStoreLayout.LOOKED_FOR + "); the '" + PythonStoreBackendFactory.STORAGE_TYPE
                + "' storage type reads stores of the original Python PoCADuck and never creates one");
    }

    private String describe() {
        return PythonStoreBackendFactory.STORAGE_TYPE + ":" + layout.root();
    }

    @Override
    public Optional<PointSchema> schema() {
        return index.schema();
    }

    /**
     * The store's schema cannot be changed: a declared schema must be the one read from the data
     * ({@link PointSchema#defaultFor(int)} of its D). A store without points takes any.
     */
    @Override
    public PointSchema declareSchema(PointSchema schema) {
        Optional<PointSchema> stored = index.schema();
        if (stored.isEmpty() || stored.get().equals(schema)) {
            return schema;
        }
        throw new SchemaMismatchException("Cannot declare point schema '" + schema + "' on store " + describe()
                + ": the store holds points of schema '" + stored.get() + "' (D = " + stored.get().dimensions()
                + ", the original records no dimension names), and a pocaduck-python store cannot be changed");
    }

    @Override
    public BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes) {
        throw readOnly("start worker '" + workerId + "' on");
    }

    @Override
    public void consolidate(OptionalLong memoryBytes) {
        throw readOnly("consolidate");
    }

    private UnsupportedOperationException readOnly(String verb) {
        return new UnsupportedOperationException("Cannot " + verb + " store " + describe() + ": the '"
                + PythonStoreBackendFactory.STORAGE_TYPE + "' storage type is read-only; migrate it with "
                + "`pocaduck migrate` to write");
    }

    /** @return the ids of the {@code worker_<id>/} directories that hold {@code index_<id>.db} */
    @Override
    public Set<String> committedWorkers() {
        return Set.copyOf(PythonStoreLayout.scan(layout.root()).workerIndexes().keySet());
    }

    @Override
    public BackendQuery openQuery() {
        return new PythonQuery(index);
    }

    @Override
    public void close() {
        index.close();
    }
}
