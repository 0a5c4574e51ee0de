/**
 * Storage type {@code parquet-duckdb}: label-sorted Parquet files per worker, per-worker DuckDB
 * indexes and a consolidated DuckDB index, in a local directory or under an S3 prefix. See
 * {@code docs/FORMAT.md}. This package holds the store and query; its sub-packages hold the
 * backend's concerns: {@code io} (storage I/O), {@code write} (the Parquet writer), {@code read}
 * (the Parquet reader), {@code index} (index and commit) and {@code format} (what writer and
 * reader share).
 */
package org.pocaduck.parquet;
