/**
 * Storage I/O of the {@code parquet-duckdb} backend, in the manner of Iceberg's {@code FileIO}:
 * {@link org.pocaduck.parquet.io.StoreIO} and its two implementations (a local directory, an S3
 * prefix), the names of a store's files ({@link org.pocaduck.parquet.io.StoreLayout}), crash-safe
 * local file steps and locks. Internal to the backend: public only for its other packages.
 */
package org.pocaduck.parquet.io;
