package org.pocaduck.parquet;

/**
 * The names of everything one store holds, relative to its root (see {@code docs/FORMAT.md}),
 * with {@code /} separators: the same names are paths under a local directory and keys under an
 * S3 prefix ({@link StoreIO} resolves them). Names stored in indexes are these relative names, so
 * a store can be moved or copied between a directory and a bucket.
 */
final class StoreLayout {
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

    private StoreLayout() {
    }

    static String workerDir(String workerId) {
        return WORKERS + "/" + workerId;
    }

    static String workerCurrent(String workerId) {
        return workerDir(workerId) + "/" + CURRENT;
    }

    static String workerLock(String workerId) {
        return workerDir(workerId) + "/" + WORKER_LOCK;
    }

    static String runDir(String workerId, String run) {
        return workerDir(workerId) + "/" + run;
    }

    static String runIndex(String workerId, String run) {
        return runDir(workerId, run) + "/" + WORKER_INDEX;
    }

    static String indexCurrent() {
        return INDEX + "/" + CURRENT;
    }

    static String index(String fileName) {
        return INDEX + "/" + fileName;
    }

    /** @return the relative name of a data file, as stored in indexes */
    static String relative(String workerId, String run, String fileName) {
        return runDir(workerId, run) + "/" + fileName;
    }

    /**
     * The time part of a run name ({@code run-<millis>-<8 hex>}), which orders a worker's runs.
     *
     * @return the milliseconds, or -1 if the name is not a run name
     */
    static long runMillis(String run) {
        if (run == null || !run.startsWith(RUN_PREFIX)) {
            return -1;
        }
        int dash = run.indexOf('-', RUN_PREFIX.length());
        try {
            return Long.parseLong(run.substring(RUN_PREFIX.length(), dash < 0 ? run.length() : dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
