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
 * One worker run: buffers points per (label, block), inserts them in bulk as rows tagged with the
 * run's generation whenever the buffer passes {@code write_buffer_bytes} (or a third of the
 * ingestor's memory budget), and commits by inserting one commit marker. Rows of a run are invisible until its marker exists, so a crash at any point
 * leaves the worker's earlier output as it was, and a rerun replaces it. Used by one thread.
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
        try (Connection connection = store.dialect().connect()) {
            store.dialect().insert(connection, store.layout(), rows);
        } catch (SQLException e) {
            throw new StorageException("Cannot write " + rows.size() + " rows of worker '" + workerId
                    + "' to tabular store " + store.describe() + ": " + e.getMessage(), e);
        }
        flushedAny = true;
        buffers.clear();
        bufferedBytes = 0;
    }

    @Override
    public void commit() {
        try {
            flush();
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
        if (flushedAny) {
            store.deleteRun(workerId, generation);
        }
    }
}
