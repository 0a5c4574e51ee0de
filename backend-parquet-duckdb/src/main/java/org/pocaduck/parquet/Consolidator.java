package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageException;

/**
 * Builds the consolidated index: a new DuckDB file beside the current one, holding every
 * committed worker run's index rows (attached read-only), checked against the files on disk,
 * then switched in by renaming {@code index/CURRENT}. The same committed runs always give the same
 * content, so running it twice changes nothing a query can see. Holds {@code store.lock}.
 */
final class Consolidator {
    /** Suffix of the text file beside each consolidated index naming the worker runs it uses. */
    static final String RUNS_SUFFIX = ".runs";

    private final StoreLayout layout;
    private final PointSchema schema;
    private final OptionalLong memoryBytes;

    /**
     * @param memoryBytes DuckDB's {@code memory_limit} while the index is built, or empty for
     *     DuckDB's default
     */
    Consolidator(StoreLayout layout, PointSchema schema, OptionalLong memoryBytes) {
        this.layout = layout;
        this.schema = schema;
        this.memoryBytes = memoryBytes;
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration
    void run() {
        try (Locks.Held ignored = Locks.lock(lockFile())) {
            build();
        } catch (IOException e) {
            throw new StorageException("Cannot consolidate store " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    private Path lockFile() throws IOException {
        if (!Files.isDirectory(layout.root())) {
            throw new NoSuchFileException(layout.root() + " (the store directory is gone)");
        }
        return layout.storeLock();
    }

    private void build() throws IOException {
        Map<String, String> runs = committedRuns();
        Files.createDirectories(layout.indexDir());
        String name = StoreLayout.CONSOLIDATED_PREFIX + System.currentTimeMillis() + "-"
                + UUID.randomUUID().toString().substring(0, 8) + StoreLayout.DUCKDB_SUFFIX;
        Path target = layout.indexDir().resolve(name);
        Path temp = layout.indexDir().resolve("." + name + ".tmp");
        try {
            try (DuckDBConnection connection = DuckDb.open(temp, false, memoryBytes)) {
                fill(connection, runs);
            } catch (SQLException e) {
                throw new StorageException("Cannot consolidate store " + layout.root() + " into " + temp + ": "
                        + e.getMessage(), e);
            }
            StringBuilder runList = new StringBuilder();
            runs.forEach((worker, run) -> runList.append(worker).append('\t').append(run).append('\n'));
            FileOps.writeAtomically(layout.indexDir().resolve(name + RUNS_SUFFIX),
                    runList.toString().getBytes(StandardCharsets.UTF_8));
            FileOps.syncAndMove(temp, target);
            // Derived from the index: built now so the first query does not pay for it.
            // Streamed: materialized, the scan of a 10-million-label index held 1.5 GB of native memory.
            try (DuckDBConnection connection = DuckDb.open(target, true, memoryBytes, true)) {
                LabelDirectory.open(target, connection);
            } catch (SQLException e) {
                throw new StorageException("Cannot read back the consolidated index " + target + ": " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + ".wal"));
        }
        String previous = FileOps.readPointer(layout.indexCurrent());
        FileOps.writeAtomically(layout.indexCurrent(), name.getBytes(StandardCharsets.UTF_8));
        removeUnused(name, previous);
    }

    /** @return worker id to committed run, sorted by worker id */
    private Map<String, String> committedRuns() throws IOException {
        Map<String, String> runs = new TreeMap<>();
        if (!Files.isDirectory(layout.workersDir())) {
            return runs;
        }
        List<Path> workers;
        try (Stream<Path> list = Files.list(layout.workersDir())) {
            workers = list.filter(Files::isDirectory).toList();
        }
        for (Path worker : workers) {
            String run = FileOps.readPointer(worker.resolve(StoreLayout.CURRENT));
            if (run != null) {
                runs.put(worker.getFileName().toString(), run);
            }
        }
        return runs;
    }

    private void fill(DuckDBConnection connection, Map<String, String> runs) throws SQLException, IOException {
        DuckDb.execute(connection, "CREATE TEMP TABLE staging(label UBIGINT, block_id VARCHAR, worker_id VARCHAR, "
                + "file_path VARCHAR, row_start UBIGINT, point_count UBIGINT)");
        DuckDb.execute(connection, "CREATE TABLE files(worker_id VARCHAR NOT NULL, file_path VARCHAR NOT NULL, "
                + "row_count UBIGINT NOT NULL, byte_size UBIGINT NOT NULL)");
        DuckDb.execute(connection, "CREATE TABLE workers(worker_id VARCHAR NOT NULL, run VARCHAR NOT NULL)");
        for (Map.Entry<String, String> e : runs.entrySet()) {
            String worker = e.getKey();
            Path index = layout.workerDir(worker).resolve(e.getValue()).resolve(StoreLayout.WORKER_INDEX);
            if (!Files.isRegularFile(index)) {
                throw new StorageException("Cannot consolidate store " + layout.root() + ": worker '" + worker
                        + "' names run " + e.getValue() + " but its index " + index + " is missing");
            }
            try {
                DuckDb.execute(connection, "ATTACH " + DuckDb.literal(index.toString()) + " AS w (READ_ONLY)");
            } catch (SQLException ex) {
                throw new StorageException("Cannot consolidate store " + layout.root() + ": the index " + index
                        + " of worker '" + worker + "' is unreadable or corrupt: " + ex.getMessage(), ex);
            }
            try {
                checkWorkerMeta(connection, worker, index);
                String w = DuckDb.literal(worker);
                DuckDb.execute(connection, "INSERT INTO staging SELECT label, block_id, " + w
                        + ", file_path, row_start, point_count FROM w.point_cloud_index");
                DuckDb.execute(connection, "INSERT INTO files SELECT " + w
                        + ", file_path, row_count, byte_size FROM w.files");
                DuckDb.execute(connection, "INSERT INTO workers VALUES (" + w + ", " + DuckDb.literal(e.getValue())
                        + ")");
            } catch (SQLException ex) {
                throw new StorageException("Cannot consolidate store " + layout.root() + ": cannot read the index "
                        + index + " of worker '" + worker + "': " + ex.getMessage(), ex);
            } finally {
                DuckDb.execute(connection, "DETACH w");
            }
        }
        checkFiles(connection);
        DuckDb.execute(connection, "CREATE TABLE point_cloud_index AS SELECT label, block_id, worker_id, file_path, "
                + "row_start, point_count FROM staging ORDER BY label, block_id, worker_id, file_path, row_start");
        DuckDb.execute(connection, "DROP TABLE staging");
        DuckDb.execute(connection, "CREATE TABLE label_summary AS SELECT label, CAST(sum(point_count) AS UBIGINT) "
                + "AS point_count, CAST(count(DISTINCT block_id) AS UBIGINT) AS block_count "
                + "FROM point_cloud_index GROUP BY label ORDER BY label");
        DuckDb.execute(connection, "CREATE TABLE summary AS SELECT "
                + "(SELECT count(*) FROM label_summary) AS labels, "
                + "(SELECT coalesce(sum(point_count), 0) FROM label_summary) AS points, "
                + "(SELECT coalesce(sum(block_count), 0) FROM label_summary) AS label_block_pairs, "
                + "(SELECT count(*) FROM files) AS files, "
                + "(SELECT coalesce(sum(byte_size), 0) FROM files) AS bytes");
        DuckDb.execute(connection, "CREATE TABLE meta(key VARCHAR NOT NULL, value VARCHAR NOT NULL)");
        DuckDb.execute(connection, "INSERT INTO meta VALUES ('format_version', '" + Manifest.FORMAT_VERSION + "'), "
                + "('point_schema', " + DuckDb.literal(schema == null ? "" : schema.toString()) + "), "
                + "('writer_version', " + DuckDb.literal(WriterVersion.get()) + ")");
        DuckDb.execute(connection, "CHECKPOINT");
    }

    private void checkWorkerMeta(DuckDBConnection connection, String worker, Path index) throws SQLException {
        Map<String, String> meta = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT key, value FROM w.meta")) {
            while (rs.next()) {
                meta.put(rs.getString(1), rs.getString(2));
            }
        }
        String version = meta.getOrDefault("format_version", "");
        if (!version.equals(Integer.toString(Manifest.FORMAT_VERSION))) {
            throw new StorageException("Cannot consolidate store " + layout.root() + ": the index " + index
                    + " of worker '" + worker + "' has format version '" + version + "', this library reads "
                    + Manifest.FORMAT_VERSION);
        }
        String workerSchema = meta.getOrDefault("point_schema", "");
        if (!workerSchema.isEmpty() && schema != null && !workerSchema.equals(schema.toString())) {
            throw new SchemaMismatchException("Cannot consolidate store " + layout.root() + ": worker '" + worker
                    + "' wrote point schema (" + workerSchema + ") but the store's is (" + schema + ")");
        }
    }

    /** Every file a worker index names must exist with the size it had when it was committed. */
    private void checkFiles(DuckDBConnection connection) throws SQLException {
        List<String[]> problems = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT file_path, byte_size FROM files ORDER BY file_path")) {
            while (rs.next()) {
                String file = rs.getString(1);
                long size = rs.getLong(2);
                Path path = layout.resolve(file);
                try {
                    long actual = Files.size(path);
                    if (actual != size) {
                        problems.add(new String[] {path.toString(), "has " + actual + " bytes, its worker index "
                                + "recorded " + size + " (truncated or rewritten)"});
                    }
                } catch (IOException e) {
                    problems.add(new String[] {path.toString(), "is missing or unreadable (" + e + ")"});
                }
                if (!problems.isEmpty()) {
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StorageException("Cannot consolidate store " + layout.root() + ": data file "
                    + problems.getFirst()[0] + " " + problems.getFirst()[1]
                    + "; the previous consolidated index is kept");
        }
    }

    /**
     * Deletes index generations other than the new and the previous one (a reader may still use
     * it), and worker runs that no kept index and no CURRENT pointer names, skipping workers that
     * are running.
     */
    private void removeUnused(String current, String previous) throws IOException {
        Set<String> keepIndexes = new HashSet<>();
        keepIndexes.add(current);
        if (previous != null) {
            keepIndexes.add(previous);
        }
        try (Stream<Path> list = Files.list(layout.indexDir())) {
            for (Path p : list.toList()) {
                String file = p.getFileName().toString();
                if (!file.startsWith(StoreLayout.CONSOLIDATED_PREFIX)) {
                    continue;
                }
                String base = file.endsWith(RUNS_SUFFIX) ? file.substring(0, file.length() - RUNS_SUFFIX.length())
                        : file.endsWith(LabelDirectory.SUFFIX)
                                ? file.substring(0, file.length() - LabelDirectory.SUFFIX.length())
                        : file.endsWith(".wal") ? file.substring(0, file.length() - 4) : file;
                if (!keepIndexes.contains(base)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Map<String, String> runs = committedRuns();
        for (String worker : runs.keySet()) {
            try (Locks.Held held = Locks.tryLock(layout.workerLock(worker))) {
                if (held == null) {
                    continue;
                }
                Set<String> keep = new HashSet<>(runsNamedByIndexes(layout, worker));
                keep.add(runs.get(worker));
                ParquetDuckdbStore.deleteRunsExcept(layout, worker, keep);
            }
        }
    }

    /** @return the runs of a worker that any kept consolidated index names */
    static Set<String> runsNamedByIndexes(StoreLayout layout, String worker) throws IOException {
        Set<String> runs = new HashSet<>();
        if (!Files.isDirectory(layout.indexDir())) {
            return runs;
        }
        List<Path> lists;
        try (Stream<Path> list = Files.list(layout.indexDir())) {
            lists = list.filter(p -> p.getFileName().toString().endsWith(RUNS_SUFFIX)).toList();
        }
        for (Path file : lists) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0 && line.substring(0, tab).equals(worker)) {
                    runs.add(line.substring(tab + 1));
                }
            }
        }
        return runs;
    }
}
