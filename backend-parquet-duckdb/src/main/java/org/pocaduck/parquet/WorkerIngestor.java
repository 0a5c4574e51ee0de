package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.io.api.Binary;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.StorageException;
import org.pocaduck.parquet.index.DataFile;
import org.pocaduck.parquet.index.IndexEntrySpill;
import org.pocaduck.parquet.index.WorkerIndex;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;
import org.pocaduck.parquet.write.PointFileWriter;
import org.pocaduck.spi.BackendIngestor;

/**
 * One worker's run: buffers writes as segments (one per {@code write}, holding the caller's
 * immutable {@link PointCloud}, not a copy), and when the buffer budget is reached sorts the
 * segments by (unsigned label, block id, write order) and writes them as one Parquet file. Commit
 * writes the run's DuckDB index in bulk (the Appender) and then switches the worker's
 * {@code CURRENT} pointer to this run. Sorting moves segments, not points, so it costs
 * O(S log S) for S writes; the points are read once, when the file is written.
 *
 * <p>Holds the worker's lock file from start to commit or abort, so no other thread or process
 * runs the same worker id meanwhile. Used by one thread at a time.
 */
final class WorkerIngestor implements BackendIngestor {
    /**
     * Heap per buffered write besides its values: the segment arrays' slots (20 bytes), the
     * {@link PointCloud} object and its array's header (about 44).
     */
    private static final int SEGMENT_OVERHEAD_BYTES = 64;

    private final ParquetDuckdbStore store;
    private final StoreIO io;
    private final Settings settings;
    private final String workerId;
    private final String run;
    private final String runDir;
    private final StoreIO.Lock lock;

    private long[] segLabel = new long[1024];
    private int[] segBlock = new int[1024];
    private PointCloud[] segPoints = new PointCloud[1024];
    private int segments;
    private long valueBytes;
    private final Map<String, Integer> blockIndex = new HashMap<>();
    private final List<String> blockNames = new ArrayList<>();
    private long blockBytes;
    private PointSchema schema;

    private final IndexEntrySpill entries;
    private final List<DataFile> files = new ArrayList<>();
    private boolean finished;

    WorkerIngestor(ParquetDuckdbStore store, Settings settings, String workerId, String run, StoreIO.Lock lock)
            throws IOException {
        this.store = store;
        this.io = store.io();
        this.settings = settings;
        this.workerId = workerId;
        this.run = run;
        this.runDir = StoreLayout.runDir(workerId, run);
        this.lock = lock;
        this.entries = new IndexEntrySpill(io.stagingFile(runDir + "/index-rows"));
    }

    @Override
    public void write(long label, String blockId, PointCloud points, PointSchema schema) {
        this.schema = schema;
        long addBytes = (long) points.valueCount() * Long.BYTES + SEGMENT_OVERHEAD_BYTES;
        if (segments > 0 && bufferedBytes() + addBytes > settings.bufferBytes()) {
            flush();
        }
        if (segments == segLabel.length) {
            int grown = segments * 2;
            segLabel = Arrays.copyOf(segLabel, grown);
            segBlock = Arrays.copyOf(segBlock, grown);
            segPoints = Arrays.copyOf(segPoints, grown);
        }
        Integer block = blockIndex.get(blockId);
        if (block == null) {
            block = blockNames.size();
            blockIndex.put(blockId, block);
            blockNames.add(blockId);
            blockBytes += 2L * blockId.length() + 64;
        }
        segLabel[segments] = label;
        segBlock[segments] = block;
        segPoints[segments] = points;
        segments++;
        valueBytes += (long) points.valueCount() * Long.BYTES;
    }

    private long bufferedBytes() {
        return valueBytes + (long) segments * SEGMENT_OVERHEAD_BYTES + blockBytes;
    }

    /** Sorts the buffered segments and writes them as the run's next Parquet file. */
    private void flush() {
        String name = String.format("part-%05d.parquet", files.size());
        String relative = StoreLayout.relative(workerId, run, name);
        Path temp = null;
        // Block ranks in String.compareTo order, so sorting compares ints.
        String[] sortedBlocks = blockNames.toArray(String[]::new);
        Arrays.sort(sortedBlocks);
        Map<String, Integer> rank = new HashMap<>(sortedBlocks.length * 2);
        for (int i = 0; i < sortedBlocks.length; i++) {
            rank.put(sortedBlocks[i], i);
        }
        int[] blockRank = new int[blockNames.size()];
        Binary[] blockBinary = new Binary[blockNames.size()];
        for (int b = 0; b < blockRank.length; b++) {
            blockRank[b] = rank.get(blockNames.get(b));
            blockBinary[b] = Binary.fromConstantByteArray(blockNames.get(b).getBytes(StandardCharsets.UTF_8));
        }
        Integer[] order = new Integer[segments];
        for (int i = 0; i < segments; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compareUnsigned(segLabel[a], segLabel[b]);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(blockRank[segBlock[a]], blockRank[segBlock[b]]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        long row = 0;
        try {
            temp = io.stagingFile(relative);
            try (PointFileWriter writer = new PointFileWriter(temp, schema, settings.rowGroupBytes(),
                    settings.zstdLevel())) {
                int i = 0;
                while (i < segments) {
                    int first = order[i];
                    long label = segLabel[first];
                    int block = segBlock[first];
                    long runStart = row;
                    Binary blockId = blockBinary[block];
                    for (; i < segments && segLabel[order[i]] == label && segBlock[order[i]] == block; i++) {
                        int s = order[i];
                        writer.writeRun(label, blockId, segPoints[s]);
                        row += segPoints[s].size();
                    }
                    entries.add(label, blockNames.get(block), files.size(), runStart, row - runStart);
                }
            }
            long size = Files.size(temp);
            io.publish(temp, relative);
            files.add(new DataFile(relative, row, size));
        } catch (IOException | RuntimeException e) {
            throw new StorageException("Cannot write Parquet file " + io.describe(relative) + " of worker '" + workerId
                    + "': " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
        Arrays.fill(segPoints, 0, segments, null);
        segments = 0;
        valueBytes = 0;
        blockIndex.clear();
        blockNames.clear();
        blockBytes = 0;
    }

    @Override
    public void commit() {
        if (finished) {
            return;
        }
        finished = true;
        boolean committed = false;
        try {
            if (segments > 0) {
                flush();
            }
            WorkerIndex.write(io, workerId, run, schema == null ? store.schema().orElse(null) : schema,
                    entries, files, settings.duckdbMemoryBytes());
            entries.close();
            io.write(StoreLayout.workerCurrent(workerId), run.getBytes(StandardCharsets.UTF_8));
            committed = true;
            store.removeOldRuns(workerId, run);
        } catch (IOException e) {
            throw new StorageException("Cannot commit worker '" + workerId + "' in " + io.describe(runDir) + ": "
                    + e.getMessage(), e);
        } finally {
            if (!committed) {
                deleteRun();
            }
            lock.close();
        }
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        Arrays.fill(segPoints, 0, segments, null);
        segments = 0;
        try {
            deleteRun();
        } finally {
            lock.close();
        }
    }

    private void deleteRun() {
        try {
            entries.close();
            io.deleteTree(runDir);
        } catch (IOException e) {
            // Left-over run directories are never named by a CURRENT pointer and are removed by the
            // worker's next commit; nothing to undo here.
            store.logLeftover(io.describe(runDir), e);
        }
    }

    private void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                store.logLeftover(temp.toString(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "worker '" + workerId + "' run " + run + " (" + segments + " buffered writes, last label "
                + (segments == 0 ? "none" : Labels.format(segLabel[segments - 1])) + ")";
    }
}
