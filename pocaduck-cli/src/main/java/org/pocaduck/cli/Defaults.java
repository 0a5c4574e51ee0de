package org.pocaduck.cli;

/** Settings every command shares. */
final class Defaults {
    /**
     * The storage type used when neither {@code --storage-type} nor a {@code --config} file names
     * one: the embedded default backend.
     */
    static final String STORAGE_TYPE = "parquet-duckdb";

    private Defaults() {
    }
}
