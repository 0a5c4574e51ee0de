/**
 * The Parquet writer of the {@code parquet-duckdb} backend: a worker's label-sorted data files,
 * whose pages it encodes itself ({@link org.pocaduck.parquet.write.PointFileWriter}). Internal to
 * the backend: public only for its other packages.
 */
package org.pocaduck.parquet.write;
