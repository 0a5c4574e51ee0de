package org.pocaduck.options;

/** Settings every command shares. */
public final class Defaults {
    /**
     * The storage type used when neither {@code --storage-type} nor a {@code --config} file names
     * one: the embedded default backend.
     */
    public static final String STORAGE_TYPE = "parquet-duckdb";

    private Defaults() {
    }
}
