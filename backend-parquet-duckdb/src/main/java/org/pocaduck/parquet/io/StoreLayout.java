package org.pocaduck.parquet.io;

/**
 * The names of everything one store holds, relative to its root (see {@code docs/FORMAT.md}),
 * with {@code /} separators: the same names are paths under a local directory and keys under an
 * S3 prefix ({@link StoreIO} resolves them). Names stored in indexes are these relative names, so
 * a store can be moved or copied between a directory and a bucket.
 */
public final class StoreLayout {
    public static final String MANIFEST = "manifest.json";
    public static final String STORE_LOCK = "store.lock";
    public static final String WORKERS = "workers";
    public static final String INDEX = "index";
    public static final String CURRENT = "CURRENT";
    public static final String WORKER_LOCK = "worker.lock";
    public static final String WORKER_INDEX = "index.duckdb";
    public static final String RUN_PREFIX = "run-";
    public static final String CONSOLIDATED_PREFIX = "consolidated-";
    public static final String DUCKDB_SUFFIX = ".duckdb";
    /** Suffix of a consolidated index's label directory, beside it (derived data). */
    public static final String LABEL_DIRECTORY_SUFFIX = ".labels";

    private StoreLayout() {
    }

    public static String workerDir(String workerId) {
        return WORKERS + "/" + workerId;
    }

    public static String workerCurrent(String workerId) {
        return workerDir(workerId) + "/" + CURRENT;
    }

    public static String workerLock(String workerId) {
        return workerDir(workerId) + "/" + WORKER_LOCK;
    }

    public static String runDir(String workerId, String run) {
        return workerDir(workerId) + "/" + run;
    }

    public static String runIndex(String workerId, String run) {
        return runDir(workerId, run) + "/" + WORKER_INDEX;
    }

    public static String indexCurrent() {
        return INDEX + "/" + CURRENT;
    }

    public static String index(String fileName) {
        return INDEX + "/" + fileName;
    }

    /** @return the label directory of the consolidated index {@code fileName} (see {@code LabelDirectory}) */
    public static String labelDirectory(String fileName) {
        return index(fileName) + LABEL_DIRECTORY_SUFFIX;
    }

    /** @return the relative name of a data file, as stored in indexes */
    public static String relative(String workerId, String run, String fileName) {
        return runDir(workerId, run) + "/" + fileName;
    }

    /**
     * The time part of a run name ({@code run-<millis>-<8 hex>}), which orders a worker's runs.
     *
     * @return the milliseconds, or -1 if the name is not a run name
     */
    public static long runMillis(String run) {
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
