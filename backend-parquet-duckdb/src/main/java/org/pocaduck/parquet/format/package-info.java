/**
 * What the writer and reader of the {@code parquet-duckdb} backend's data files share: the
 * Parquet schema of a data file, its ZSTD codec and the writer version recorded in files and
 * indexes. Internal to the backend: public only for its other packages.
 */
package org.pocaduck.parquet.format;
