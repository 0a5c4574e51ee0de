package org.pocaduck.tabular;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.StorageException;
import org.pocaduck.spi.BackendIngestor;

/**
 * One worker run: buffers points per (label, block) and, whenever the buffer passes
 * {@code write_buffer_bytes} (or a third of the ingestor's memory budget), encodes them as rows
 * tagged with the run's generation and either inserts them (DuckDB's appender; Trino's
 * multi-row INSERT ... VALUES) or, with a {@code staging_location}, writes them as one Parquet
 * file into the run's staging directory. It commits by registering the run's staged files in one
 * statement (Iceberg's add_files), if any, and then inserting one commit marker. Rows of a run
 * are invisible until its marker exists, so a crash at any point (before, during or after the
 * registration) leaves the worker's earlier output as it was, and a rerun replaces it. Used by
 * one thread.
 */
final class TabularIngestor implements BackendIngestor {
    /** Heap of a new (label, block) in the buffer besides its block id's characters: key, map entry, list. */
    private static final int KEY_OVERHEAD_BYTES = 128;
    /** Heap of one buffered cloud besides its values: the object, its array's header and the list slot. */
    private static final int CLOUD_OVERHEAD_BYTES = 48;

    private final TabularStore store;
    private final String workerId;
    private final long generation;
    private final Runnable onEnd;
    private final long flushBytes;
    /** The (immutable) clouds written, by (label, block) in first-write order; joined at flush. */
    private final Map<Key, List<PointCloud>> buffers = new LinkedHashMap<>();
    /**
     * The next row number of this run: chunks count up across the whole run in write order (a
     * number per (label, block) would need a map of every pair the run ever flushed, which
     * outgrew the memory budget on runs of millions of labels); readers sort by it.
     */
    private int nextChunk;
    private long bufferedBytes;
    private boolean flushedAny;
    /** Staged Parquet files written so far (staged loads only). */
    private int stagedFiles;
    /** Writes staged files; opened at the first staged flush. */
    private StagedFileWriter writer;
    /**
     * True once the run's staged files may be in the table (invisible until the commit marker):
     * after any registration attempt, since a statement that failed on its way back may still
     * have added them. From then on the staged files are never deleted (the table may reference
     * them); the run's rows are deleted instead.
     */
    private boolean registered;

    private record Key(long label, String blockId) {
    }

    TabularIngestor(TabularStore store, String workerId, long generation, long flushBytes, Runnable onEnd) {
        this.store = store;
        this.workerId = workerId;
        this.generation = generation;
        this.onEnd = onEnd;
        this.flushBytes = flushBytes;
    }

    @Override
    public void write(long label, String blockId, PointCloud points, PointSchema schema) {
        List<PointCloud> parts = buffers.computeIfAbsent(new Key(label, blockId), k -> new ArrayList<>(2));
        if (parts.isEmpty()) {
            bufferedBytes += KEY_OVERHEAD_BYTES + 2L * blockId.length();
        }
        parts.add(points);
        bufferedBytes += (long) points.valueCount() * Long.BYTES + CLOUD_OVERHEAD_BYTES;
        if (bufferedBytes >= flushBytes) {
            flush();
        }
    }

    private void flush() {
        if (buffers.isEmpty()) {
            return;
        }
        RowCodec codec = store.codec();
        List<StoredRow> rows = new ArrayList<>();
        for (Map.Entry<Key, List<PointCloud>> e : buffers.entrySet()) {
            Key k = e.getKey();
            List<PointCloud> parts = e.getValue();
            PointCloud points = PointCloud.concat(parts.getFirst().dimensions(), parts);
            int next = codec.encode(k.label(), k.blockId(), points, workerId, generation, nextChunk, rows);
            if (next < nextChunk) {
                throw new StorageException("Cannot write more than " + Integer.MAX_VALUE + " rows in one run of "
                        + "worker '" + workerId + "' to tabular store " + store.describe()
                        + ": commit and continue under more worker ids");
            }
            nextChunk = next;
        }
        if (store.staging().isPresent()) {
            stage(rows);
        } else {
            try (Connection connection = store.dialect().connect()) {
                store.dialect().insert(connection, store.layout(), rows);
            } catch (SQLException e) {
                throw new StorageException("Cannot write " + rows.size() + " rows of worker '" + workerId
                        + "' to tabular store " + store.describe() + ": " + e.getMessage(), e);
            }
        }
        flushedAny = true;
        buffers.clear();
        bufferedBytes = 0;
    }

    /** The run's staging directory, relative to the staging location. */
    private String run() {
        return StagingArea.runDirectory(store.layout().table(), workerId, generation);
    }

    /** Writes rows as the run's next Parquet file in the staging location. */
    private void stage(List<StoredRow> rows) {
        StagingArea staging = store.staging().orElseThrow();
        String name = String.format("part-%05d.parquet", stagedFiles);
        java.nio.file.Path temp = null;
        try {
            if (writer == null) {
                writer = new StagedFileWriter(store.layout().encoding());
            }
            temp = staging.temporaryFile(run(), name);
            writer.write(rows, temp);
            staging.put(temp, run(), name);
            stagedFiles++;
        } catch (SQLException | java.io.IOException e) {
            throw StagingArea.failure("write " + rows.size() + " rows of worker '" + workerId + "' as " + name,
                    staging.describe(run()), e);
        } finally {
            if (temp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(temp);
                } catch (java.io.IOException e) {
                    // A temporary file left behind holds nothing anyone reads.
                }
            }
        }
    }

    /** Registers the run's staged files in the table: one statement, all or nothing. */
    private void register() {
        if (stagedFiles == 0) {
            return;
        }
        StagingArea staging = store.staging().orElseThrow();
        String directory = staging.serverDirectory(run());
        registered = true;
        try (Connection connection = store.dialect().connect()) {
            store.dialect().registerFiles(connection, store.layout(), directory);
        } catch (SQLException e) {
            String hint = e.getMessage() != null && e.getMessage().contains("procedure is disabled")
                    ? " (the catalog needs iceberg.add-files-procedure.enabled=true, or drop "
                            + TabularSettings.STAGING_LOCATION + " to insert rows)" : "";
            throw new StorageException("Cannot register the " + stagedFiles + " staged files of worker '" + workerId
                    + "' (" + directory + ", option " + TabularSettings.STAGING_SERVER_LOCATION + ") in tabular store "
                    + store.describe() + ": " + e.getMessage() + hint + "; nothing of this run is visible, its "
                    + "earlier output is kept", e);
        }
    }

    @Override
    public void commit() {
        try {
            flush();
            register();
            try (Connection connection = store.dialect().connect();
                    PreparedStatement ps = connection.prepareStatement(store.layout().insertCommit())) {
                ps.setString(1, workerId);
                ps.setLong(2, generation);
                ps.setLong(3, store.generations().next());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StorageException("Cannot commit worker '" + workerId + "' to tabular store "
                        + store.describe() + ": " + e.getMessage() + "; its earlier output is kept", e);
            }
        } catch (RuntimeException e) {
            discardFlushed();
            throw e;
        } finally {
            if (writer != null) {
                writer.close();
                writer = null;
            }
            onEnd.run();
        }
    }

    @Override
    public void abort() {
        buffers.clear();
        try {
            discardFlushed();
        } finally {
            onEnd.run();
        }
    }

    private void discardFlushed() {
        try {
            if (registered || flushedAny && store.staging().isEmpty()) {
                store.deleteRun(workerId, generation);
            }
            if (stagedFiles > 0 && !registered) {
                StagingArea staging = store.staging().orElseThrow();
                try {
                    staging.deleteRun(run());
                } catch (java.io.IOException e) {
                    // Never registered, so invisible: a leftover costs space only.
                    org.slf4j.LoggerFactory.getLogger(TabularIngestor.class).warn("Cannot delete the staged files of "
                            + "an aborted run of worker '{}' in {}: {}", workerId, staging.describe(run()), e.toString());
                }
            }
        } finally {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }
}
