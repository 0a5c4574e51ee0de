/**
 * The Parquet reader of the {@code parquet-duckdb} backend: a label's row runs read page by page
 * through cached page locations and dictionaries ({@link org.pocaduck.parquet.read.PointReader}),
 * over any {@link org.pocaduck.parquet.io.StoreIO}. Internal to the backend: public only for its
 * other packages.
 */
package org.pocaduck.parquet.read;
