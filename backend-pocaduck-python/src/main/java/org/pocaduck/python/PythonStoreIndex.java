package org.pocaduck.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.duckdb.DuckDBConnection;
import org.pocaduck.PointSchema;
import org.pocaduck.StorageException;
import org.pocaduck.support.Closeables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes of one store, attached read-only to an in-memory DuckDB database, with what is
 * decided once at open: where every data file is, whether block ids are known, and the point
 * schema.
 *
 * <p>Two views normalize the indexes, labels as their 64 bits in a BIGINT: {@code block_rows}
 * (label, block_id, file_path, point_count) over the unified index, or every worker's index if
 * there is none, and {@code optimized_rows} (label, file_path, point_count) over the optimizer's
 * index. Per-label lookups read the attached tables directly with the label as a constant of
 * each column's type, so DuckDB can skip row groups.
 *
 * <p>Thread-safe: the state is immutable after open, and each caller works on a connection of its
 * own from {@link #connect()}. The store closes it.
 */
final class PythonStoreIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonStoreIndex.class);
    private static final String BLOCK_COLUMNS = "label, block_id, file_path, point_count";
    private static final String OPTIMIZED_COLUMNS = "label, file_path, point_count";

    /**
     * Per label: its point count (the optimizer's if it lists the label, else the sum of its
     * unified rows) and block count (its distinct unified block ids when blocks come from the
     * index, else 1, the {@code unknown} block). Labels with no points are left out.
     */
    private static final String SUMMARY = """
            WITH b AS (SELECT label, count(DISTINCT block_id) AS blocks, CAST(sum(point_count) AS BIGINT) AS points
                       FROM block_rows GROUP BY label),
                 o AS (SELECT label, CAST(sum(point_count) AS BIGINT) AS points FROM optimized_rows GROUP BY label),
                 s AS (SELECT coalesce(b.label, o.label) AS label, coalesce(o.points, b.points) AS points,
                              CASE WHEN b.label IS NOT NULL AND (o.label IS NULL OR %s) THEN b.blocks ELSE 1 END AS blocks
                       FROM b FULL OUTER JOIN o ON b.label = o.label)
            SELECT label, points, blocks FROM s WHERE points > 0""";

    private final PythonStoreLayout layout;
    private final DuckDBConnection base;
    private final List<IndexSource> sources;
    /** Data files named by the block indexes, by the path they hold. */
    private final Map<String, DataFile> blockFiles;
    /** Data files named by the optimizer's index, by the path it holds. */
    private final Map<String, DataFile> optimizedFiles;
    private final boolean blocksKnown;
    private final Optional<PointSchema> schema;
    private final String summarySql;

    private PythonStoreIndex(PythonStoreLayout layout, DuckDBConnection base, List<IndexSource> sources,
            Map<String, DataFile> blockFiles, Map<String, DataFile> optimizedFiles, Optional<PointSchema> schema) {
        this.layout = layout;
        this.base = base;
        this.sources = List.copyOf(sources);
        this.blockFiles = Map.copyOf(blockFiles);
        this.optimizedFiles = Map.copyOf(optimizedFiles);
        this.blocksKnown = sources.stream().anyMatch(s -> !s.optimized())
                && blockFiles.values().stream().allMatch(DataFile::exists);
        this.schema = schema;
        this.summarySql = SUMMARY.formatted(blocksKnown ? "true" : "false");
    }

    /**
     * Attaches the store's indexes and reads what is fixed at open.
     *
     * @throws StorageException if an index cannot be attached, is not an index of the original,
     *     or a data file cannot be read for the schema
     */
    static PythonStoreIndex open(PythonStoreLayout layout) {
        DuckDBConnection base = null;
        try {
            base = DuckDb.openInMemory();
            List<IndexSource> sources = new ArrayList<>();
            List<Path> blockIndexes = layout.blockIndexes();
            for (int i = 0; i < blockIndexes.size(); i++) {
                sources.add(attach(base, layout, "idx" + i, blockIndexes.get(i), false));
            }
            if (layout.optimizedIndex().isPresent()) {
                sources.add(attach(base, layout, "opt", layout.optimizedIndex().get(), true));
            }
            createView(base, "block_rows", sources, false);
            createView(base, "optimized_rows", sources, true);
            Map<String, DataFile> blockFiles = new HashMap<>();
            Map<String, DataFile> optimizedFiles = new HashMap<>();
            for (IndexSource source : sources) {
                resolveFiles(base, layout.root(), source, source.optimized() ? optimizedFiles : blockFiles);
            }
            Optional<PointSchema> schema = readSchema(base, layout.root(), optimizedFiles, blockFiles);
            PythonStoreIndex index = new PythonStoreIndex(layout, base, sources, blockFiles, optimizedFiles, schema);
            index.logOpened();
            return index;
        } catch (SQLException | RuntimeException e) {
            Closeables.closeQuietly(base);
            if (e instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("Cannot open pocaduck-python store " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    /** Attaches one index read-only and checks it holds the original's table. */
    private static IndexSource attach(DuckDBConnection base, PythonStoreLayout layout, String alias, Path file,
            boolean optimized) throws SQLException {
        try {
            DuckDb.execute(base, "ATTACH " + DuckDb.literal(file.toString()) + " AS " + alias + " (READ_ONLY)");
        } catch (SQLException e) {
            throw new StorageException("Cannot open index " + file + " of pocaduck-python store " + layout.root()
                    + ": it is not a DuckDB database DuckDB " + "2.0 can read: " + e.getMessage(), e);
        }
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement ps = base.prepareStatement("SELECT column_name, data_type FROM duckdb_columns() "
                + "WHERE database_name = ? AND schema_name = 'main' AND table_name = ?")) {
            ps.setString(1, alias);
            ps.setString(2, IndexSource.TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        String expected = optimized ? OPTIMIZED_COLUMNS : BLOCK_COLUMNS;
        String labelType = columns.get("label");
        boolean complete = columns.keySet().containsAll(List.of(expected.split(", ")));
        if (!complete || !("UBIGINT".equals(labelType) || "BIGINT".equals(labelType))) {
            throw new StorageException("Cannot open index " + file + " of pocaduck-python store " + layout.root()
                    + ": it is not an index of the original PoCADuck: it needs table " + IndexSource.TABLE + "("
                    + expected + ") with label UBIGINT or BIGINT, and has "
                    + (columns.isEmpty() ? "no such table" : "columns " + new TreeMap<>(columns)));
        }
        return new IndexSource(alias, file, optimized, "UBIGINT".equals(labelType));
    }

    /** Creates one normalizing view over the sources of one kind (a view with no rows if none). */
    private static void createView(DuckDBConnection base, String name, List<IndexSource> sources, boolean optimized)
            throws SQLException {
        List<String> parts = new ArrayList<>();
        for (IndexSource source : sources) {
            if (source.optimized() == optimized) {
                parts.add("SELECT " + source.labelBits() + " AS label, "
                        + (optimized ? "" : "block_id, ") + "file_path, CAST(point_count AS BIGINT) AS point_count FROM "
                        + source.table());
            }
        }
        if (parts.isEmpty()) {
            parts.add("SELECT CAST(NULL AS BIGINT) AS label, " + (optimized ? "" : "CAST(NULL AS VARCHAR) AS block_id, ")
                    + "CAST(NULL AS VARCHAR) AS file_path, CAST(NULL AS BIGINT) AS point_count WHERE false");
        }
        DuckDb.execute(base, "CREATE VIEW " + name + " AS " + String.join(" UNION ALL ", parts));
    }

    /** Maps every distinct file path of one index onto the store. */
    private static void resolveFiles(DuckDBConnection base, Path root, IndexSource source, Map<String, DataFile> into)
            throws SQLException {
        try (Statement statement = base.createStatement();
                ResultSet rs = statement.executeQuery("SELECT DISTINCT file_path FROM " + source.table()
                        + " WHERE file_path IS NOT NULL")) {
            while (rs.next()) {
                String indexed = rs.getString(1);
                if (!into.containsKey(indexed)) {
                    into.put(indexed, resolve(root, source.file(), indexed));
                }
            }
        }
    }

    private static DataFile resolve(Path root, Path index, String indexedPath) {
        Optional<Path> path = PythonStoreLayout.resolve(root, indexedPath);
        boolean exists = path.isPresent() && Files.isRegularFile(path.get());
        long bytes = 0;
        if (exists) {
            try {
                bytes = Files.size(path.get());
            } catch (IOException e) {
                throw new StorageException("Cannot read the size of data file " + path.get() + " of pocaduck-python store "
                        + root + ": " + e.getMessage(), e);
            }
        }
        return new DataFile(indexedPath, index, path, exists, bytes);
    }

    /**
     * The schema from the first data row: D is its {@code len(data)}, the names
     * {@link PointSchema#defaultFor(int)}. Optimized files first, then unoptimized ones, each in
     * path order; missing files are skipped (reading them fails later, naming them).
     */
    private static Optional<PointSchema> readSchema(DuckDBConnection base, Path root, Map<String, DataFile> optimized,
            Map<String, DataFile> unoptimized) throws SQLException {
        for (Map<String, DataFile> files : List.of(optimized, unoptimized)) {
            for (DataFile file : new TreeMap<>(files).values()) {
                if (!file.exists()) {
                    continue;
                }
                Path path = file.path().orElseThrow();
                try (Statement statement = base.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT len(data) FROM read_parquet("
                                + DuckDb.literal(path.toString()) + ") WHERE data IS NOT NULL LIMIT 1")) {
                    if (rs.next()) {
                        long dimensions = rs.getLong(1);
                        if (dimensions < 1 || dimensions > Integer.MAX_VALUE) {
                            throw new StorageException("Cannot read the point schema of pocaduck-python store " + root
                                    + ": the first point of " + path + " has " + dimensions + " values");
                        }
                        return Optional.of(PointSchema.defaultFor((int) dimensions));
                    }
                } catch (SQLException e) {
                    throw new StorageException("Cannot read data file " + path + " of pocaduck-python store " + root
                            + ": " + e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }

    private void logOpened() {
        long missing = blockFiles.values().stream().filter(f -> !f.exists()).count();
        if (missing > 0 && !optimizedFiles.isEmpty()) {
            LOG.info("Block ids of pocaduck-python store {} are unknown: {} of the {} data files its block indexes name "
                    + "are missing; labels of the optimized index are reported as block '{}'", layout.root(), missing,
                    blockFiles.size(), PythonStoreBackendFactory.UNKNOWN_BLOCK);
        }
        LOG.debug("Opened pocaduck-python store {}: indexes {}, {} data files, blocks known: {}, schema {}",
                layout.root(), sources.stream().map(IndexSource::file).toList(),
                blockFiles.size() + optimizedFiles.size(), blocksKnown, schema.map(PointSchema::toString).orElse("none"));
    }

    /** @return the store root */
    Path root() {
        return layout.root();
    }

    /** @return true if block ids come from the unified (or worker) index: see the package docs */
    boolean blocksKnown() {
        return blocksKnown;
    }

    /** @return the point schema of the first data row, if any */
    Optional<PointSchema> schema() {
        return schema;
    }

    /** @return the label summaries statement (label bits, point count, block count), unordered */
    String summarySql() {
        return summarySql;
    }

    /**
     * @return a new connection to the database holding the attached indexes; the caller closes it
     * @throws SQLException if the store is closed
     */
    DuckDBConnection connect() throws SQLException {
        return base.duplicate();
    }

    /**
     * The statement that reads a label's index rows: kind (0 optimized, 1 unified), block id,
     * file path and point count.
     */
    String entrySql(long label) {
        List<String> parts = new ArrayList<>();
        for (IndexSource source : sources) {
            parts.add("SELECT " + (source.optimized() ? "0, NULL" : "1, block_id") + ", file_path, "
                    + "CAST(point_count AS BIGINT) FROM " + source.table() + " WHERE " + source.labelEquals(label));
        }
        return String.join(" UNION ALL ", parts);
    }

    /** Reads a label's index rows with the statement of {@link #entrySql(long)}. */
    LabelEntry entry(DuckDBConnection connection, String sql) throws SQLException {
        List<LabelEntry.OptimizedRow> optimized = new ArrayList<>();
        List<LabelEntry.BlockRow> blockRows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getInt(1) == 0) {
                    optimized.add(new LabelEntry.OptimizedRow(rs.getString(3), rs.getLong(4)));
                } else {
                    blockRows.add(new LabelEntry.BlockRow(rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return new LabelEntry(optimized, blockRows, blocksKnown);
    }

    /**
     * @param indexedPath a file path as an index of the given kind holds it
     * @param optimized true for a path of the optimizer's index
     * @return the file, resolved at open (or now, for a path the index did not hold then)
     */
    DataFile file(String indexedPath, boolean optimized) {
        DataFile file = (optimized ? optimizedFiles : blockFiles).get(indexedPath);
        if (file != null) {
            return file;
        }
        Path index = sources.stream().filter(s -> s.optimized() == optimized).map(IndexSource::file).findFirst()
                .orElse(layout.root());
        return resolve(layout.root(), index, indexedPath);
    }

    /** @return the index files in use and the distinct existing data files they name */
    long fileCount() {
        return sources.size() + existing(blockFiles).count() + existing(optimizedFiles).count();
    }

    /** @return the bytes of the distinct existing data files the indexes name */
    long dataBytes() {
        return existing(blockFiles).mapToLong(DataFile::bytes).sum() + existing(optimizedFiles).mapToLong(DataFile::bytes)
                .sum();
    }

    private static java.util.stream.Stream<DataFile> existing(Map<String, DataFile> files) {
        return files.values().stream().filter(DataFile::exists);
    }

    /** Closes the database; connections from {@link #connect()} still open keep it alive. */
    @Override
    public void close() {
        Closeables.closeQuietly(base);
    }
}
