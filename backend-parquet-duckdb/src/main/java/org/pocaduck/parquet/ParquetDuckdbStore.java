package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.pocaduck.ConfigurationException;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageConfig;
import org.pocaduck.StorageException;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.WorkerBusyException;
import org.pocaduck.parquet.index.Consolidator;
import org.pocaduck.parquet.index.DuckDb;
import org.pocaduck.parquet.index.Manifest;
import org.pocaduck.parquet.io.LocalStoreIO;
import org.pocaduck.parquet.io.Locks;
import org.pocaduck.parquet.io.S3StoreIO;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;
import org.pocaduck.s3.S3Options;
import org.pocaduck.spi.BackendIngestor;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.BackendStore;
import org.pocaduck.spi.ConfigOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open {@code parquet-duckdb} store on a local directory or an S3 prefix ({@link StoreIO}).
 * Thread-safe. On a local directory it coordinates with other processes through lock files
 * ({@code store.lock} for the manifest and consolidation, {@code workers/<id>/worker.lock} for a
 * running worker); on S3 those locks hold inside one JVM only, the manifest and the index's
 * {@code CURRENT} are replaced by conditional writes, and concurrent processes must use distinct
 * worker ids (see {@code docs/FORMAT.md}).
 */
final class ParquetDuckdbStore implements BackendStore {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetDuckdbStore.class);

    private final StoreIO io;
    private final Settings settings;
    private volatile PointSchema schema;

    private ParquetDuckdbStore(StoreIO io, Settings settings, PointSchema schema) {
        this.io = io;
        this.settings = settings;
        this.schema = schema;
    }

    /**
     * @param locks the in-JVM lock table of the factory, shared by every store it opens
     */
    static ParquetDuckdbStore open(StorageConfig config, Settings settings, boolean create, Locks locks) {
        StoreIO io;
        if (S3Options.isS3(config.location())) {
            io = S3StoreIO.open(S3Options.from(config), locks);
        } else {
            for (ConfigOption option : S3Options.options("s3:// stores", "")) {
                if (config.option(option.key()).isPresent()) {
                    throw new ConfigurationException("Cannot use option '" + option.key() + "' with location '"
                            + config.location() + "': it applies to s3:// locations only");
                }
            }
            io = openLocal(config.location(), create, locks);
        }
        try {
            return open(io, settings, create);
        } catch (RuntimeException e) {
            try {
                io.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @param create whether to create the directory (a new store) if it does not exist */
    private static LocalStoreIO openLocal(String location, boolean create, Locks locks) {
        Path root;
        try {
            root = Paths.get(location).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new StorageException("Cannot open store '" + location + "': not a local directory path: "
                    + e.getMessage(), e);
        }
        if (Files.exists(root)) {
            if (!Files.isDirectory(root)) {
                throw new StorageException("Cannot open store " + root + ": it is not a directory");
            }
            if (!Files.isReadable(root) || !Files.isExecutable(root)) {
                throw new StorageException("Cannot open store " + root + ": the directory is not readable");
            }
        } else if (create) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new StorageException("Cannot create store " + root + ": " + e.getMessage(), e);
            }
        }
        return new LocalStoreIO(root, locks);
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration
    private static ParquetDuckdbStore open(StoreIO io, Settings settings, boolean create) {
        Optional<Manifest> manifest = Manifest.read(io);
        if (manifest.isEmpty()) {
            if (!create) {
                throw new StoreNotFoundException("Cannot open store " + io.root() + ": there is no store there (no "
                        + StoreLayout.MANIFEST + ")");
            }
            try (StoreIO.Lock ignored = io.lock(StoreLayout.STORE_LOCK)) {
                Manifest created = Manifest.empty();
                if (!io.writeIf(StoreLayout.MANIFEST, created.bytes(), null)) {
                    // Another process created it meanwhile: use theirs.
                    created = Manifest.read(io).orElseThrow(() -> new StorageException("Cannot create store "
                            + io.root() + ": its manifest appeared and vanished while this process created it"));
                }
                manifest = Optional.of(created);
            } catch (IOException e) {
                throw new StorageException("Cannot create store " + io.root() + ": " + e.getMessage(), e);
            }
        }
        LOG.debug("Opened parquet-duckdb store {}", io.root());
        return new ParquetDuckdbStore(io, settings, manifest.get().schema().orElse(null));
    }

    StoreIO io() {
        return io;
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
            try (StoreIO.Lock ignored = io.lock(StoreLayout.STORE_LOCK)) {
                for (int attempt = 0; current == null; attempt++) {
                    StoreIO.Versioned file = io.read(StoreLayout.MANIFEST);
                    if (file == null) {
                        throw new StorageException("Cannot declare the point schema of store " + io.root()
                                + ": its manifest " + io.describe(StoreLayout.MANIFEST) + " is missing");
                    }
                    Manifest manifest = Manifest.parse(file.bytes(), io.describe(StoreLayout.MANIFEST));
                    current = manifest.schema().orElse(null);
                    if (current == null) {
                        if (io.writeIf(StoreLayout.MANIFEST, manifest.withSchema(declared).bytes(), file.version())) {
                            current = declared;
                        } else if (attempt == 10) {
                            throw new StorageException("Cannot declare the point schema of store " + io.root()
                                    + ": its manifest kept changing under this process (10 attempts)");
                        }
                    }
                }
                schema = current;
            } catch (IOException e) {
                throw new StorageException("Cannot declare the point schema of store " + io.root() + ": "
                        + e.getMessage(), e);
            }
        }
        if (!current.equals(declared)) {
            throw new SchemaMismatchException("Cannot use point schema (" + declared + ") with store "
                    + io.root() + ": the store's point schema is (" + current + ")");
        }
        return current;
    }

    @Override
    public Set<String> committedWorkers() {
        try {
            return new HashSet<>(Consolidator.committedRuns(io).keySet());
        } catch (IOException e) {
            throw new StorageException("Cannot list the committed workers of store " + io.root() + " in "
                    + io.describe(StoreLayout.WORKERS) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes) {
        String lockFile = StoreLayout.workerLock(workerId);
        StoreIO.Lock lock;
        String previousRun;
        try {
            lock = io.tryLock(lockFile);
            if (lock == null) {
                throw new WorkerBusyException("Cannot start worker '" + workerId + "' on store " + io.root()
                        + ": another ingestor of that worker id is running (it holds " + io.describe(lockFile)
                        + (io.locksAcrossProcesses() ? "" : " in this JVM") + ")");
            }
            StoreIO.Versioned current = io.read(StoreLayout.workerCurrent(workerId));
            previousRun = current == null ? null : current.text();
        } catch (IOException e) {
            throw new StorageException("Cannot start worker '" + workerId + "' in "
                    + io.describe(StoreLayout.workerDir(workerId)) + ": " + e.getMessage(), e);
        }
        DuckDb.loadInBackground();
        // Later than the committed run even where clocks disagree, so runs order by name.
        long millis = Math.max(System.currentTimeMillis(), StoreLayout.runMillis(previousRun) + 1);
        String run = StoreLayout.RUN_PREFIX + millis + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Settings budgeted = memoryBytes.isPresent() ? settings.withMemoryBudget(memoryBytes.getAsLong()) : settings;
            return new WorkerIngestor(this, budgeted, workerId, run, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw new StorageException("Cannot start worker '" + workerId + "' in "
                    + io.describe(StoreLayout.workerDir(workerId)) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BackendQuery openQuery() {
        return ParquetDuckdbQuery.open(io, settings, schema);
    }

    /**
     * Builds the consolidated index; with a memory budget, the index's DuckDB runs with that
     * {@code memory_limit} (at least {@link Settings#MIN_DUCKDB_MEMORY_BYTES}) and spills beyond it
     * to its temporary directory ({@code <file>.tmp} beside the index being built).
     */
    @Override
    public void consolidate(OptionalLong memoryBytes) {
        new Consolidator(io, schema, memoryBytes.isPresent()
                ? OptionalLong.of(Math.max(Settings.MIN_DUCKDB_MEMORY_BYTES, memoryBytes.getAsLong()))
                : OptionalLong.empty()).run();
    }

    /**
     * Removes a worker's runs that neither its {@code CURRENT} pointer nor a kept consolidated
     * index names. Called by the worker itself after commit, holding its lock. Where locks do not
     * reach other processes (S3), a consolidation elsewhere may be reading the worker's earlier
     * committed run, so only runs that never committed (no run index) are removed here; the
     * consolidations remove the rest.
     */
    @SuppressWarnings("try") // the lock is held for the try block's duration
    void removeOldRuns(String workerId, String currentRun) {
        try (StoreIO.Lock ignored = io.lock(StoreLayout.STORE_LOCK)) {
            Set<String> keep = new HashSet<>(Consolidator.runsNamedByIndexes(io, workerId));
            keep.add(currentRun);
            for (String run : io.list(StoreLayout.workerDir(workerId))) {
                if (!run.startsWith(StoreLayout.RUN_PREFIX) || keep.contains(run)) {
                    continue;
                }
                if (io.locksAcrossProcesses() || !io.exists(StoreLayout.runIndex(workerId, run))
                        && StoreLayout.runMillis(run) < StoreLayout.runMillis(currentRun)) {
                    io.deleteTree(StoreLayout.runDir(workerId, run));
                }
            }
        } catch (IOException e) {
            logLeftover(io.describe(StoreLayout.workerDir(workerId)), e);
        }
    }

    void logLeftover(String where, IOException e) {
        LOG.warn("Could not remove left-over files under {}: {}", where, e.toString());
    }

    @Override
    public void close() {
        // Ingestors and queries own their files and connections; the I/O layer holds a client.
        try {
            io.close();
        } catch (IOException e) {
            LOG.warn("Could not close store {}: {}", io.root(), e.toString());
        }
    }
}
