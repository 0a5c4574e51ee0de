package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.WorkerBusyException;
import org.pocaduck.spi.BackendIngestor;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.BackendStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open {@code parquet-duckdb} store on a local directory. Thread-safe; coordinates with other
 * processes on the same directory through lock files ({@code store.lock} for the manifest and
 * consolidation, {@code workers/<id>/worker.lock} for a running worker).
 */
final class ParquetDuckdbStore implements BackendStore {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetDuckdbStore.class);

    private final StoreLayout layout;
    private final Settings settings;
    private volatile PointSchema schema;

    private ParquetDuckdbStore(StoreLayout layout, Settings settings, PointSchema schema) {
        this.layout = layout;
        this.settings = settings;
        this.schema = schema;
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration
    static ParquetDuckdbStore open(StorageConfig config, Settings settings, boolean create) {
        Path root;
        try {
            root = Paths.get(config.location()).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new StorageException("Cannot open store '" + config.location() + "': not a local directory path: "
                    + e.getMessage(), e);
        }
        StoreLayout layout = new StoreLayout(root);
        if (Files.exists(root)) {
            if (!Files.isDirectory(root)) {
                throw new StorageException("Cannot open store " + root + ": it is not a directory");
            }
            if (!Files.isReadable(root) || !Files.isExecutable(root)) {
                throw new StorageException("Cannot open store " + root + ": the directory is not readable");
            }
        }
        Optional<Manifest> manifest = Manifest.read(layout.manifest());
        if (manifest.isEmpty()) {
            if (!create) {
                throw new StoreNotFoundException("Cannot open store " + root + ": there is no store there (no "
                        + StoreLayout.MANIFEST + ")");
            }
            try {
                Files.createDirectories(root);
                try (Locks.Held ignored = Locks.lock(layout.storeLock())) {
                    manifest = Manifest.read(layout.manifest());
                    if (manifest.isEmpty()) {
                        Manifest created = Manifest.empty();
                        created.write(layout.manifest());
                        manifest = Optional.of(created);
                    }
                }
            } catch (IOException e) {
                throw new StorageException("Cannot create store " + root + ": " + e.getMessage(), e);
            }
        }
        LOG.debug("Opened parquet-duckdb store {}", root);
        return new ParquetDuckdbStore(layout, settings, manifest.get().schema().orElse(null));
    }

    StoreLayout layout() {
        return layout;
    }

    @Override
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(schema);
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration
    @Override
    public PointSchema declareSchema(PointSchema declared) {
        PointSchema current = schema;
        if (current == null) {
            try (Locks.Held ignored = Locks.lock(layout.storeLock())) {
                Manifest manifest = Manifest.read(layout.manifest()).orElseThrow(() -> new StorageException(
                        "Cannot declare the point schema of store " + layout.root() + ": its manifest "
                                + layout.manifest() + " is missing"));
                current = manifest.schema().orElse(null);
                if (current == null) {
                    manifest.withSchema(declared).write(layout.manifest());
                    current = declared;
                }
                schema = current;
            } catch (IOException e) {
                throw new StorageException("Cannot lock store " + layout.storeLock() + ": " + e.getMessage(), e);
            }
        }
        if (!current.equals(declared)) {
            throw new SchemaMismatchException("Cannot use point schema (" + declared + ") with store "
                    + layout.root() + ": the store's point schema is (" + current + ")");
        }
        return current;
    }

    @Override
    public Set<String> committedWorkers() {
        Set<String> workers = new HashSet<>();
        if (!Files.isDirectory(layout.workersDir())) {
            return workers;
        }
        try (Stream<Path> list = Files.list(layout.workersDir())) {
            list.forEach(dir -> {
                String workerId = dir.getFileName().toString();
                if (Files.isRegularFile(layout.workerCurrent(workerId))) {
                    workers.add(workerId);
                }
            });
        } catch (IOException e) {
            throw new StorageException("Cannot list the committed workers of store " + layout.root() + " in "
                    + layout.workersDir() + ": " + e.getMessage(), e);
        }
        return workers;
    }

    @Override
    public BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes) {
        Path lockFile = layout.workerLock(workerId);
        Locks.Held lock;
        try {
            Files.createDirectories(layout.workerDir(workerId));
            lock = Locks.tryLock(lockFile);
        } catch (IOException e) {
            throw new StorageException("Cannot start worker '" + workerId + "' in " + layout.workerDir(workerId)
                    + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new WorkerBusyException("Cannot start worker '" + workerId + "' on store " + layout.root()
                    + ": another ingestor of that worker id is running (it holds " + lockFile + ")");
        }
        DuckDb.loadInBackground();
        String run = StoreLayout.RUN_PREFIX + System.currentTimeMillis() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        try {
            Settings budgeted = memoryBytes.isPresent() ? settings.withMemoryBudget(memoryBytes.getAsLong()) : settings;
            return new WorkerIngestor(this, budgeted, workerId, run, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw new StorageException("Cannot start worker '" + workerId + "' in " + layout.workerDir(workerId)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BackendQuery openQuery() {
        return ParquetDuckdbQuery.open(layout, settings, schema);
    }

    /**
     * Builds the consolidated index; with a memory budget, the index's DuckDB runs with that
     * {@code memory_limit} (at least {@link Settings#MIN_DUCKDB_MEMORY_BYTES}) and spills beyond it
     * to its temporary directory ({@code <file>.tmp} beside the index being built).
     */
    @Override
    public void consolidate(OptionalLong memoryBytes) {
        new Consolidator(layout, schema, memoryBytes.isPresent()
                ? OptionalLong.of(Math.max(Settings.MIN_DUCKDB_MEMORY_BYTES, memoryBytes.getAsLong()))
                : OptionalLong.empty()).run();
    }

    /**
     * Removes a worker's run directories that neither its {@code CURRENT} pointer nor a kept
     * consolidated index names. Called by the worker itself after commit, holding its lock.
     */
    @SuppressWarnings("try") // the lock is held for the try block's duration
    void removeOldRuns(String workerId, String currentRun) {
        try (Locks.Held ignored = Locks.lock(layout.storeLock())) {
            Set<String> keep = new HashSet<>(Consolidator.runsNamedByIndexes(layout, workerId));
            keep.add(currentRun);
            deleteRunsExcept(layout, workerId, keep);
        } catch (IOException e) {
            logLeftover(layout.workerDir(workerId), e);
        }
    }

    static void deleteRunsExcept(StoreLayout layout, String workerId, Set<String> keep) throws IOException {
        List<Path> runs;
        try (Stream<Path> list = Files.list(layout.workerDir(workerId))) {
            runs = list.filter(p -> p.getFileName().toString().startsWith(StoreLayout.RUN_PREFIX)).toList();
        }
        for (Path run : runs) {
            if (!keep.contains(run.getFileName().toString())) {
                FileOps.deleteTree(run);
            }
        }
    }

    void logLeftover(Path path, IOException e) {
        LOG.warn("Could not remove left-over files under {}: {}", path, e.toString());
    }

    @Override
    public void close() {
        // Nothing held: ingestors and queries own their files and connections.
    }
}
