package org.pocaduck.parquet;

import java.nio.file.Path;

/**
 * Where everything of one store lives under its root directory (see {@code docs/FORMAT.md}).
 * Paths stored in indexes are relative to the root, with {@code /} separators, so a store can be
 * moved and a later object-store implementation can resolve the same names as keys.
 */
record StoreLayout(Path root) {
    static final String MANIFEST = "manifest.json";
    static final String STORE_LOCK = "store.lock";
    static final String WORKERS = "workers";
    static final String INDEX = "index";
    static final String CURRENT = "CURRENT";
    static final String WORKER_LOCK = "worker.lock";
    static final String WORKER_INDEX = "index.duckdb";
    static final String RUN_PREFIX = "run-";
    static final String CONSOLIDATED_PREFIX = "consolidated-";
    static final String DUCKDB_SUFFIX = ".duckdb";

    Path manifest() {
        return root.resolve(MANIFEST);
    }

    Path storeLock() {
        return root.resolve(STORE_LOCK);
    }

    Path workersDir() {
        return root.resolve(WORKERS);
    }

    Path workerDir(String workerId) {
        return workersDir().resolve(workerId);
    }

    Path workerCurrent(String workerId) {
        return workerDir(workerId).resolve(CURRENT);
    }

    Path workerLock(String workerId) {
        return workerDir(workerId).resolve(WORKER_LOCK);
    }

    Path indexDir() {
        return root.resolve(INDEX);
    }

    Path indexCurrent() {
        return indexDir().resolve(CURRENT);
    }

    /** @return the relative name of a data file, as stored in indexes */
    static String relative(String workerId, String run, String fileName) {
        return WORKERS + "/" + workerId + "/" + run + "/" + fileName;
    }

    /** @return the absolute path of a relative name from an index */
    Path resolve(String relativeName) {
        return root.resolve(relativeName);
    }
}
