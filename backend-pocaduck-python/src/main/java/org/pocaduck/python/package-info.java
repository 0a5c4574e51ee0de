/**
 * Storage type {@code pocaduck-python}: a read-only reader of the stores the original Python
 * PoCADuck (JaneliaSciComp/pocaduck) writes, opened in place with DuckDB.
 *
 * <h2>Layout read</h2>
 * Under the store root (the {@code location}):
 * <ul>
 *   <li>{@code worker_<id>/data/*.parquet}: columns {@code label} INT64 (the uint64 bits),
 *       {@code block_id} STRING and {@code data} LIST&lt;INT64&gt;, one point per row: x, y, z,
 *       then attributes. A (label, block) may be split over several files.</li>
 *   <li>{@code worker_<id>/index_<id>.db}: a worker's DuckDB index,
 *       {@code point_cloud_index(label UBIGINT, block_id VARCHAR, file_path VARCHAR,
 *       point_count UBIGINT)}, one row per (label, block, file).</li>
 *   <li>{@code unified_index.db}: the same table over every worker, from the original's
 *       consolidation. Without it, the union of the worker indexes is read.</li>
 *   <li>{@code optimized/optimized_index.db}: from the original's optimizer,
 *       {@code point_cloud_index(label BIGINT, file_path VARCHAR, point_count BIGINT)}, no block
 *       ids, over label-ordered files {@code optimized/optimize_<id>/*.parquet} with columns
 *       {@code label} and {@code data}.</li>
 * </ul>
 * The store is found if its root is a directory holding at least one of those index files.
 *
 * <h2>File paths</h2>
 * The original's indexes hold absolute paths of the machine that wrote them, so a moved or
 * copied store names files where they no longer are. Each {@code file_path} is mapped onto the
 * store root: if the first of its last three components is {@code worker_<something>} or
 * {@code optimized} (the layouts {@code worker_<id>/data/<file>} and
 * {@code optimized/optimize_<id>/<file>}), the file is those three components under the root;
 * otherwise the path is used as written (a relative one under the root) if that file exists.
 * A read that needs a file that cannot be found this way, or is missing, fails with
 * {@link org.pocaduck.StorageException} naming the path, the index that names it and the rule.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Labels: uint64, carried in a Java {@code long} holding the same 64 bits; UBIGINT index
 *       columns and BIGINT columns both hold those bits, so labels from 2^63 up match in every
 *       file. The label set is the union of the labels of the optimizer's index and of the
 *       unified (or worker) index; labels with no points are left out. Labels come in unsigned
 *       order.</li>
 *   <li>Point count: the optimizer's count if its index lists the label, else the sum of the
 *       label's unified rows.</li>
 *   <li>Blocks known: decided once at open, true if the unified (or a worker) index exists and
 *       every file it names is found. A label's block ids, its block count, and the data of
 *       {@code points(label, blockIds)} and {@code streamBlocks} then come from its unified rows
 *       and the unoptimized files. The same holds for a label the optimizer's index does not
 *       list, whose unoptimized files are its only data (a missing one fails the read).</li>
 *   <li>Unknown blocks: a label the optimizer's index lists, while blocks are not known (or
 *       the unified index lacks the label), reports its points as the one block
 *       {@value org.pocaduck.python.PythonStoreBackendFactory#UNKNOWN_BLOCK}, block count 1.</li>
 *   <li>{@code points(label)}: from the optimized file(s) when the optimizer's index lists the
 *       label, else from the label's distinct unoptimized files, each read once. Points come
 *       exactly as written, repeats included (the original's {@code get_points} removes
 *       repeats; ask for {@link org.pocaduck.ReadOption#DISTINCT} for that).</li>
 *   <li>Point schema: D is the length of the first data list ({@code len(data)}); names are
 *       {@link org.pocaduck.PointSchema#defaultFor(int)} (the original records none). Every row
 *       read is checked to hold D non-null values. A store without rows has no schema. A
 *       declared schema ({@code dimensions}) must equal that one.</li>
 *   <li>Streams hold bounded memory: {@code labelSummaries} streams one result set;
 *       {@code streamPoints} one result set a chunk at a time; {@code streamBlocks} reads
 *       windows of consecutive blocks of at most 2^20 points by their index counts (sorted by
 *       {@link java.lang.String#compareTo} in Java), streaming a larger block on its own.</li>
 *   <li>Read-only: no {@link org.pocaduck.Capability}; writing and consolidating throw
 *       {@link java.lang.UnsupportedOperationException}. Copy a store with
 *       {@code pocaduck migrate} to write it.</li>
 * </ul>
 */
package org.pocaduck.python;
