package org.pocaduck.python;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.duckdb.DuckDBConnection;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.Labels;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.support.Closeables;
import org.pocaduck.support.LabelByLabelChunks;
import org.pocaduck.support.LabelSummaryRows;
import org.pocaduck.support.StreamBase;

/**
 * Reads a store of the original Python PoCADuck as {@link PythonStoreBackendFactory} documents.
 * Thread-safe: every call, and every stream, works on a DuckDB connection of its own
 * ({@link PythonStoreIndex#connect()}); the store is read-only, so a query sees what it saw when
 * opened.
 *
 * <p>Timing: the index lookup is reading the label's index rows (or the summary statement); the
 * data read is running the Parquet statement and fetching its rows; nothing is decoded beyond
 * that (decode stays zero). Rows are index rows and Parquet rows (one per point); bytes are the
 * sizes of the Parquet files a statement reads, an upper bound since DuckDB skips row groups
 * whose statistics exclude the label.
 */
final class PythonQuery implements BackendQuery {
    private static final String BACKEND = PythonStoreBackendFactory.STORAGE_TYPE;
    /**
     * The most points one statement of {@link #streamBlocks} reads for a window of several
     * consecutive blocks, by their index counts, held and sorted in memory; a larger block is
     * streamed on its own.
     */
    static final int WINDOW_POINTS = 1 << 20;
    /** The most block ids one statement filters on. */
    static final int BLOCKS_PER_STATEMENT = 500;
    /** Room made at first for a streamed chunk; it grows up to the chunk size as rows come. */
    private static final int FIRST_CHUNK_ROOM = 1 << 16;

    private final PythonStoreIndex index;

    PythonQuery(PythonStoreIndex index) {
        this.index = index;
    }

    /** Work on a connection of the caller's own. */
    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(DuckDBConnection connection) throws SQLException;
    }

    /**
     * Runs work on a new connection and closes it.
     *
     * @param what what the caller does, for the message ("count labels")
     */
    private <T> T onConnection(String what, ConnectionWork<T> work) {
        try (DuckDBConnection connection = index.connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException("Cannot " + what + " of pocaduck-python store " + index.root() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Reads the label's index rows, charging them to the index lookup. */
    private LabelEntry entry(long label, QueryTiming.Recorder timing) {
        String sql = index.entrySql(label);
        timing.sql(sql);
        LabelEntry entry = onConnection("read the index rows of label " + Labels.format(label),
                connection -> index.entry(connection, sql));
        timing.indexLookupDone().rows(entry.optimized().size() + entry.blockRows().size());
        return entry;
    }

    private int dimensions(int emptyDimensions) {
        return index.schema().map(PointSchema::dimensions).orElse(emptyDimensions);
    }

    /**
     * A read of the files holding every point of the label: the optimizer's if it lists the
     * label, else its unoptimized files, each once.
     */
    private PointSelect selectAll(long label, LabelEntry entry, int dims) {
        List<DataFile> files = new ArrayList<>();
        for (String path : entry.pointFiles()) {
            files.add(index.file(path, entry.inOptimized()));
        }
        return new PointSelect(index.root(), label, files, dims, false, List.of());
    }

    /** A read of some blocks of the label from the unoptimized files holding them. */
    private PointSelect selectBlocks(long label, Map<String, LabelEntry.Block> blocks, List<String> ids, int dims,
            boolean withBlock) {
        Set<String> paths = new LinkedHashSet<>();
        for (String id : ids) {
            paths.addAll(blocks.get(id).files());
        }
        List<DataFile> files = new ArrayList<>();
        for (String path : paths) {
            files.add(index.file(path, false));
        }
        return new PointSelect(index.root(), label, files, dims, withBlock, ids);
    }

    /** Reads every row of a select into one cloud. */
    private PointCloud readAll(PointSelect select, long expectedPoints, QueryTiming.Recorder timing) {
        try (LiveRows rows = new LiveRows(index, select, timing)) {
            PointCloud points = rows.take(Integer.MAX_VALUE, expectedPoints);
            return points == null ? PointCloud.empty(select.dimensions()) : points;
        } catch (SQLException e) {
            throw select.failure(e);
        }
    }

    @Override
    public LabelSummaries labelSummaries() {
        String sql = index.summarySql() + " ORDER BY label < 0, label";
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "labelSummaries").sql(sql);
        DuckDBConnection connection = null;
        Statement statement = null;
        try {
            connection = index.connect();
            statement = connection.createStatement();
            // Streamed: memory holds one vector of rows, however many labels there are.
            ResultSet rows = statement.executeQuery(sql);
            timing.indexLookupDone();
            return new LabelSummaryRows(timing, rows, QueryTiming.Recorder::dataReadDone, this::summaryFailure,
                    statement, connection);
        } catch (SQLException e) {
            Closeables.closeQuietly(statement, connection);
            throw summaryFailure(e);
        }
    }

    private StorageException summaryFailure(Exception e) {
        return new StorageException("Cannot stream the label summaries of pocaduck-python store " + index.root() + ": "
                + e.getMessage(), e);
    }

    @Override
    public long labelCount() {
        return onConnection("count the labels", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM (" + index.summarySql() + ")")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Timed<Long> pointCount(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount");
        return new Timed<>(entry(label, timing).pointCount(), timing.finish(0));
    }

    @Override
    public Timed<List<String>> blocks(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks");
        return new Timed<>(entry(label, timing).blockIds(), timing.finish(0));
    }

    @Override
    public Timed<PointCloud> points(long label, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        LabelEntry entry = entry(label, timing);
        if (entry.isEmpty()) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        PointCloud points = readAll(selectAll(label, entry, dimensions(emptyDimensions)), entry.pointCount(), timing);
        return new Timed<>(points, timing.finish(points.size()));
    }

    @Override
    public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        LabelEntry entry = entry(label, timing);
        int dims = dimensions(emptyDimensions);
        PointCloud points;
        if (entry.blocksFromIndex()) {
            TreeMap<String, LabelEntry.Block> blocks = entry.blocks();
            List<String> wanted = new ArrayList<>(blocks.keySet());
            wanted.retainAll(blockIds);
            List<PointCloud> parts = new ArrayList<>();
            for (int from = 0; from < wanted.size(); from += BLOCKS_PER_STATEMENT) {
                List<String> batch = wanted.subList(from, Math.min(wanted.size(), from + BLOCKS_PER_STATEMENT));
                long expected = batch.stream().mapToLong(id -> blocks.get(id).points()).sum();
                parts.add(readAll(selectBlocks(label, blocks, batch, dims, false), expected, timing));
            }
            points = PointCloud.concat(wanted.isEmpty() ? emptyDimensions : dims, parts);
        } else if (entry.inOptimized() && blockIds.contains(PythonStoreBackendFactory.UNKNOWN_BLOCK)) {
            points = readAll(selectAll(label, entry, dims), entry.pointCount(), timing);
        } else {
            points = PointCloud.empty(emptyDimensions);
        }
        return new Timed<>(points, timing.finish(points.size()));
    }

    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        LabelEntry entry = entry(label, timing);
        PointSelect select = selectAll(label, entry, dimensions(1));
        try {
            return new PointStream(new LiveRows(index, select, timing), maxChunkPoints, select, timing);
        } catch (SQLException e) {
            throw select.failure(e);
        }
    }

    /** A label's points in chunks, from one streamed statement over its files. */
    private static final class PointStream extends StreamBase<PointCloud> implements PointChunks {
        private final LiveRows rows;
        private final int maxChunkPoints;
        private final PointSelect select;

        PointStream(LiveRows rows, int maxChunkPoints, PointSelect select, QueryTiming.Recorder timing) {
            super(timing);
            this.rows = rows;
            this.maxChunkPoints = maxChunkPoints;
            this.select = select;
        }

        @Override
        protected PointCloud produce() throws SQLException {
            return rows.take(maxChunkPoints, FIRST_CHUNK_ROOM);
        }

        @Override
        protected long pointsOf(PointCloud element) {
            return element.size();
        }

        @Override
        protected void release() {
            rows.close();
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return select.failure(e);
        }
    }

    /**
     * Cuts the label's blocks (in {@link String#compareTo} order) into windows of consecutive
     * blocks of at most {@link #WINDOW_POINTS} points (or the chunk size, if larger) and
     * {@link #BLOCKS_PER_STATEMENT} blocks by their index counts; a larger block is a window of
     * its own.
     */
    static List<List<String>> windows(TreeMap<String, LabelEntry.Block> blocks, int maxChunkPoints) {
        long limit = Math.max(WINDOW_POINTS, maxChunkPoints);
        List<List<String>> windows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long points = 0;
        for (Map.Entry<String, LabelEntry.Block> block : blocks.entrySet()) {
            long n = block.getValue().points();
            if (!ids.isEmpty() && (points + n > limit || ids.size() == BLOCKS_PER_STATEMENT)) {
                windows.add(ids);
                ids = new ArrayList<>();
                points = 0;
            }
            ids.add(block.getKey());
            points += n;
        }
        if (!ids.isEmpty()) {
            windows.add(ids);
        }
        return windows;
    }

    /**
     * Streams the label's blocks window by window ({@link #windows}): a window of several blocks
     * is read by one statement, grouped by block in memory and sorted in Java (DuckDB orders
     * VARCHAR by UTF-8 bytes, which differs from {@link String#compareTo} for some characters); a
     * window of one block streams its rows from the open result set. A label whose blocks are
     * unknown streams its optimized points as the one block
     * {@link PythonStoreBackendFactory#UNKNOWN_BLOCK}.
     */
    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        LabelEntry entry = entry(label, timing);
        int dims = dimensions(1);
        if (entry.blocksFromIndex()) {
            TreeMap<String, LabelEntry.Block> blocks = entry.blocks();
            return new BlockStream(label, windows(blocks, maxChunkPoints), blocks, null, dims, maxChunkPoints, timing);
        }
        PointSelect unknown = entry.inOptimized() ? selectAll(label, entry, dims) : null;
        return new BlockStream(label, List.of(), Map.of(), unknown, dims, maxChunkPoints, timing);
    }

    /** A label's points block by block: windows read in turn, chunks never mixing blocks. */
    private final class BlockStream extends StreamBase<BlockPoints> implements BlockChunks {
        private final long label;
        /** Windows of consecutive block ids, from {@link #windows}. */
        private final Iterator<List<String>> windows;
        private final Map<String, LabelEntry.Block> blocks;
        private final int dims;
        private final int maxChunkPoints;
        /** The chunks of a window of several blocks, read and sorted, or null. */
        private Iterator<BlockPoints> buffered;
        /** The rows of a one-block window (or of the unknown block), or null. */
        private LiveRows live;
        private String liveBlock;
        private PointSelect current;

        BlockStream(long label, List<List<String>> windows, Map<String, LabelEntry.Block> blocks, PointSelect unknown,
                int dims, int maxChunkPoints, QueryTiming.Recorder timing) {
            super(timing);
            this.label = label;
            this.windows = windows.iterator();
            this.blocks = blocks;
            this.dims = dims;
            this.maxChunkPoints = maxChunkPoints;
            if (unknown != null) {
                current = unknown;
                try {
                    live = new LiveRows(index, unknown, timing);
                } catch (SQLException e) {
                    throw unknown.failure(e);
                }
                liveBlock = PythonStoreBackendFactory.UNKNOWN_BLOCK;
            }
        }

        @Override
        protected BlockPoints produce() throws SQLException {
            while (true) {
                if (buffered != null && buffered.hasNext()) {
                    return buffered.next();
                }
                buffered = null;
                if (live != null) {
                    PointCloud chunk = live.take(maxChunkPoints, FIRST_CHUNK_ROOM);
                    if (chunk != null) {
                        return new BlockPoints(liveBlock, chunk);
                    }
                    live = null;
                }
                if (!windows.hasNext()) {
                    return null;
                }
                List<String> window = windows.next();
                current = selectBlocks(label, blocks, window, dims, window.size() > 1);
                if (window.size() == 1) {
                    liveBlock = window.getFirst();
                    live = new LiveRows(index, current, timing);
                } else {
                    buffered = readWindow(current).iterator();
                }
            }
        }

        /** Reads a window of several blocks, grouped by block in {@link String#compareTo} order, and cuts it. */
        private List<BlockPoints> readWindow(PointSelect select) throws SQLException {
            TreeMap<String, PointBuffer> byBlock = new TreeMap<>();
            timing.sql(select.describeSql()).files(select.fileCount()).bytes(select.bytes());
            long rowCount = 0;
            try (DuckDBConnection connection = index.connect(); PreparedStatement statement = select.prepare(connection);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String block = rs.getString(1);
                    byBlock.computeIfAbsent(block, id -> new PointBuffer(select,
                            blocks.containsKey(id) ? blocks.get(id).points() : 0)).add(rs);
                    rowCount++;
                }
            }
            timing.dataReadDone().rows(rowCount);
            List<BlockPoints> chunks = new ArrayList<>();
            for (Map.Entry<String, PointBuffer> block : byBlock.entrySet()) {
                PointCloud points = block.getValue().toCloud();
                for (int from = 0; from < points.size(); from += maxChunkPoints) {
                    int to = (int) Math.min(points.size(), (long) from + maxChunkPoints);
                    chunks.add(new BlockPoints(block.getKey(), points.slice(from, to)));
                }
            }
            return chunks;
        }

        @Override
        protected long pointsOf(BlockPoints element) {
            return element.points().size();
        }

        @Override
        protected void release() {
            buffered = null;
            if (live != null) {
                live.close();
                live = null;
            }
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return current != null ? current.failure(e)
                    : new StorageException("Cannot stream the blocks of label " + Labels.format(label)
                            + " of pocaduck-python store " + index.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Label by label ({@link LabelByLabelChunks}): a store of the original is read for migration
     * once, and its per-label reads are already one statement over the label's files.
     */
    @Override
    public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
        return new LabelByLabelChunks(this, BACKEND, selection, maxChunkPoints);
    }

    @Override
    public Optional<PointSchema> schema() {
        return index.schema();
    }

    @Override
    public StoreStats stats() {
        return onConnection("read the totals", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*), CAST(coalesce(sum(points), 0) AS BIGINT), "
                            + "CAST(coalesce(sum(blocks), 0) AS BIGINT) FROM (" + index.summarySql() + ")")) {
                rs.next();
                return new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), index.fileCount(), index.dataBytes());
            }
        });
    }

    @Override
    public void close() {
        // Nothing held: every call and stream closes its own connection.
    }
}
