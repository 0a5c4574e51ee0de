/**
 * Index and commit of the {@code parquet-duckdb} backend: each worker run's DuckDB index, the
 * consolidation into one index switched in by {@code index/CURRENT}, the store manifest, and the
 * lookups a query makes ({@link org.pocaduck.parquet.index.ConsolidatedIndex},
 * {@link org.pocaduck.parquet.index.LabelIndex}). Internal to the backend: public only for its
 * other packages.
 */
package org.pocaduck.parquet.index;
