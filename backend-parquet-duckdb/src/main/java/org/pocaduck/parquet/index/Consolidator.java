package org.pocaduck.parquet.index;

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
import org.duckdb.DuckDBConnection;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageException;
import org.pocaduck.parquet.format.WriterVersion;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;
import org.slf4j.LoggerFactory;

/**
 * Builds the consolidated index: a new DuckDB file (built in a local staging file) holding every
 * committed worker run's index rows (attached read-only), checked against the stored data files,
 * then published and switched in by replacing {@code index/CURRENT}. The same committed runs
 * always give the same content, so running it twice changes nothing a query can see. Holds
 * {@code store.lock}; where that lock does not reach other processes (S3), {@code index/CURRENT}
 * is replaced only if it is still what this consolidation read at its start (a conditional
 * write), so of two consolidations at once one fails and nothing it wrote is used.
 */
public final class Consolidator {
    /** Suffix of the text file beside each consolidated index naming the worker runs it uses. */
    static final String RUNS_SUFFIX = ".runs";

    private final StoreIO io;
    private final PointSchema schema;
    private final OptionalLong memoryBytes;
    private final Runnable beforeSwitch;

    /**
     * @param memoryBytes DuckDB's {@code memory_limit} while the index is built, or empty for
     *     DuckDB's default
     */
    public Consolidator(StoreIO io, PointSchema schema, OptionalLong memoryBytes) {
        this(io, schema, memoryBytes, () -> { });
    }

    /**
     * @param beforeSwitch runs after the new index is published and before {@code index/CURRENT}
     *     is replaced (tests use it to let another consolidation switch first)
     */
    public Consolidator(StoreIO io, PointSchema schema, OptionalLong memoryBytes, Runnable beforeSwitch) {
        this.io = io;
        this.schema = schema;
        this.memoryBytes = memoryBytes;
        this.beforeSwitch = beforeSwitch;
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration
    public void run() {
        try (StoreIO.Lock ignored = io.lock(StoreLayout.STORE_LOCK)) {
            build();
        } catch (IOException e) {
            throw new StorageException("Cannot consolidate store " + io.root() + ": " + e.getMessage(), e);
        }
    }

    private void build() throws IOException {
        StoreIO.Versioned before = io.read(StoreLayout.indexCurrent());
        Map<String, String> runs = committedRuns(io);
        String name = StoreLayout.CONSOLIDATED_PREFIX + System.currentTimeMillis() + "-"
                + UUID.randomUUID().toString().substring(0, 8) + StoreLayout.DUCKDB_SUFFIX;
        String target = StoreLayout.index(name);
        // Named before the runs are read, so a worker's commit keeps them (removeOldRuns).
        StringBuilder runList = new StringBuilder();
        runs.forEach((worker, run) -> runList.append(worker).append('\t').append(run).append('\n'));
        io.write(target + RUNS_SUFFIX, runList.toString().getBytes(StandardCharsets.UTF_8));
        boolean switched = false;
        Path temp = io.stagingFile(target);
        try {
            try (DuckDBConnection connection = DuckDb.open(temp, false, memoryBytes)) {
                fill(connection, runs);
            } catch (SQLException e) {
                throw new StorageException("Cannot consolidate store " + io.root() + " into " + temp + ": "
                        + e.getMessage(), e);
            }
            Path local = io.publishAndKeep(temp, target);
            // Derived from the index: built now so the first query does not pay for it.
            // Streamed: materialized, the scan of a 10-million-label index held 1.5 GB of native memory.
            try (DuckDBConnection connection = DuckDb.open(local, true, memoryBytes, true)) {
                LabelDirectory.open(io, name, local, connection);
            } catch (SQLException e) {
                throw new StorageException("Cannot read back the consolidated index " + io.describe(target) + ": "
                        + e.getMessage(), e);
            }
            String previous = before == null ? null : before.text();
            beforeSwitch.run();
            if (!io.writeIf(StoreLayout.indexCurrent(), name.getBytes(StandardCharsets.UTF_8),
                    before == null ? null : before.version())) {
                StoreIO.Versioned now = io.read(StoreLayout.indexCurrent());
                throw new StorageException("Cannot consolidate store " + io.root() + ": another consolidation "
                        + "replaced " + io.describe(StoreLayout.indexCurrent()) + " while this one ran (it named "
                        + (previous == null ? "no index" : previous) + ", now "
                        + (now == null ? "nothing" : now.text())
                        + "); the store uses that one and nothing of this one: consolidate again to include "
                        + "commits made since");
            }
            switched = true;
            removeUnused(name, previous);
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + ".wal"));
            if (!switched) {
                deleteQuietly(target);
                deleteQuietly(target + RUNS_SUFFIX);
                deleteQuietly(StoreLayout.labelDirectory(name));
            }
        }
    }

    private void deleteQuietly(String name) {
        try {
            io.delete(name);
        } catch (IOException e) {
            LoggerFactory.getLogger(Consolidator.class).warn("Could not remove {}: {}", io.describe(name), e.toString());
        }
    }

    /** @return worker id to committed run, sorted by worker id */
    public static Map<String, String> committedRuns(StoreIO io) throws IOException {
        Map<String, String> runs = new TreeMap<>();
        for (String worker : io.list(StoreLayout.WORKERS)) {
            StoreIO.Versioned current = io.read(StoreLayout.workerCurrent(worker));
            if (current != null) {
                runs.put(worker, current.text());
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
            String indexName = StoreLayout.runIndex(worker, e.getValue());
            String index = io.describe(indexName);
            Path local;
            try {
                local = io.localFile(indexName);
            } catch (NoSuchFileException ex) {
                throw new StorageException("Cannot consolidate store " + io.root() + ": worker '" + worker
                        + "' names run " + e.getValue() + " but its index " + index + " is missing", ex);
            }
            try {
                DuckDb.execute(connection, "ATTACH " + DuckDb.literal(local.toString()) + " AS w (READ_ONLY)");
            } catch (SQLException ex) {
                throw new StorageException("Cannot consolidate store " + io.root() + ": the index " + index
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
                throw new StorageException("Cannot consolidate store " + io.root() + ": cannot read the index "
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

    private void checkWorkerMeta(DuckDBConnection connection, String worker, String index) throws SQLException {
        Map<String, String> meta = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT key, value FROM w.meta")) {
            while (rs.next()) {
                meta.put(rs.getString(1), rs.getString(2));
            }
        }
        String version = meta.getOrDefault("format_version", "");
        if (!version.equals(Integer.toString(Manifest.FORMAT_VERSION))) {
            throw new StorageException("Cannot consolidate store " + io.root() + ": the index " + index
                    + " of worker '" + worker + "' has format version '" + version + "', this library reads "
                    + Manifest.FORMAT_VERSION);
        }
        String workerSchema = meta.getOrDefault("point_schema", "");
        if (!workerSchema.isEmpty() && schema != null && !workerSchema.equals(schema.toString())) {
            throw new SchemaMismatchException("Cannot consolidate store " + io.root() + ": worker '" + worker
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
                String path = io.describe(file);
                try {
                    long actual = io.length(file);
                    if (actual != size) {
                        problems.add(new String[] {path, "has " + actual + " bytes, its worker index "
                                + "recorded " + size + " (truncated or rewritten)"});
                    }
                } catch (IOException e) {
                    problems.add(new String[] {path, "is missing or unreadable (" + e + ")"});
                }
                if (!problems.isEmpty()) {
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StorageException("Cannot consolidate store " + io.root() + ": data file "
                    + problems.getFirst()[0] + " " + problems.getFirst()[1]
                    + "; the previous consolidated index is kept");
        }
    }

    /**
     * Deletes index generations other than the new and the previous one (a reader may still use
     * it), and worker runs that no kept index and no CURRENT pointer names. On a local directory
     * a worker that is running (its lock is held) is skipped; where locks do not reach other
     * processes (S3) only runs older than the worker's committed run are deleted, since a running
     * worker writes a run newer than that.
     */
    private void removeUnused(String current, String previous) throws IOException {
        Set<String> keepIndexes = new HashSet<>();
        keepIndexes.add(current);
        if (previous != null) {
            keepIndexes.add(previous);
        }
        for (String file : io.list(StoreLayout.INDEX)) {
            if (!file.startsWith(StoreLayout.CONSOLIDATED_PREFIX)) {
                continue;
            }
            String base = file.endsWith(RUNS_SUFFIX) ? file.substring(0, file.length() - RUNS_SUFFIX.length())
                    : file.endsWith(StoreLayout.LABEL_DIRECTORY_SUFFIX)
                            ? file.substring(0, file.length() - StoreLayout.LABEL_DIRECTORY_SUFFIX.length())
                    : file.endsWith(".wal") ? file.substring(0, file.length() - 4) : file;
            if (!keepIndexes.contains(base)) {
                io.delete(StoreLayout.index(file));
            }
        }
        Map<String, String> runs = committedRuns(io);
        for (Map.Entry<String, String> worker : runs.entrySet()) {
            try (StoreIO.Lock held = io.tryLock(StoreLayout.workerLock(worker.getKey()))) {
                if (held == null) {
                    continue;
                }
                Set<String> keep = new HashSet<>(runsNamedByIndexes(io, worker.getKey()));
                keep.add(worker.getValue());
                long committed = StoreLayout.runMillis(worker.getValue());
                for (String run : io.list(StoreLayout.workerDir(worker.getKey()))) {
                    if (run.startsWith(StoreLayout.RUN_PREFIX) && !keep.contains(run)
                            && (io.locksAcrossProcesses() || StoreLayout.runMillis(run) < committed)) {
                        io.deleteTree(StoreLayout.runDir(worker.getKey(), run));
                    }
                }
            }
        }
    }

    /** @return the runs of a worker that any kept consolidated index names */
    public static Set<String> runsNamedByIndexes(StoreIO io, String worker) throws IOException {
        Set<String> runs = new HashSet<>();
        for (String file : io.list(StoreLayout.INDEX)) {
            if (!file.endsWith(RUNS_SUFFIX)) {
                continue;
            }
            StoreIO.Versioned list = io.read(StoreLayout.index(file));
            if (list == null) {
                continue;
            }
            for (String line : new String(list.bytes(), StandardCharsets.UTF_8).split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0 && line.substring(0, tab).equals(worker)) {
                    runs.add(line.substring(tab + 1));
                }
            }
        }
        return runs;
    }
}
