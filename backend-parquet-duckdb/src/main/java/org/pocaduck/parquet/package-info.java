/**
 * Storage type {@code parquet-duckdb}: label-sorted Parquet files per worker, per-worker DuckDB
 * indexes and a consolidated DuckDB index, in a local directory. See {@code docs/FORMAT.md}.
 */
package org.pocaduck.parquet;
