package org.pocaduck.tabular;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pocaduck.BlockChunks;
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
import org.pocaduck.support.ChunkCursor;
import org.pocaduck.support.Closeables;
import org.pocaduck.support.LabelSummaryRows;
import org.pocaduck.support.OneArray;

/**
 * Reads the table as of a snapshot time: per worker, the newest run committed at or before the
 * query was opened, read once from the commit table when the query opens. Per-label statements
 * select by label alone and keep the rows of those runs; whole-table statements (labels, stats)
 * join the commit table. Point counts and block lists are cached per query (the snapshot never
 * changes). Thread-safe: calls share one connection where the dialect allows (Trino), else each
 * opens its own (DuckDB).
 *
 * <p>Timing: the index lookup is running the statement up to its first row; the data read is
 * fetching rows (payload bytes included); decode is decompressing and unpacking. Rows are table
 * rows, bytes are stored payload bytes; the SQL text is recorded with the snapshot and label.
 */
final class TabularQuery implements BackendQuery {
    static final String BACKEND = TabularBackendFactory.STORAGE_TYPE;

    private final TabularStore store;
    private final TableLayout layout;
    private final RowCodec codec;
    private final long snapshot;
    /** Per worker, the generation this query sees. */
    private final Map<String, Long> visible;
    /** Per label, its point count and blocks (small: no points), bounded. */
    private final Cache<Long, Summary> summaries = Caffeine.newBuilder().maximumSize(100_000).build();
    /** The connection every call shares, or null if each call opens its own. */
    private final Connection shared;

    /**
     * Opens the view: reads which run of each worker is visible at {@code snapshot}.
     *
     * @throws StorageException if the commit table cannot be read
     */
    TabularQuery(TabularStore store, long snapshot) {
        this.store = store;
        this.layout = store.layout();
        this.codec = store.codec();
        this.snapshot = snapshot;
        Map<String, Long> runs = new HashMap<>();
        try (Connection c = store.dialect().connect();
                PreparedStatement ps = c.prepareStatement(layout.selectVisibleRuns())) {
            ps.setLong(1, snapshot);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new StorageException("Cannot open a query of tabular store " + store.describe() + ": "
                    + e.getMessage(), e);
        }
        this.visible = Map.copyOf(runs);
        Connection shared = null;
        if (store.dialect().sharesConnections()) {
            try {
                shared = store.dialect().connect();
            } catch (SQLException e) {
                throw new StorageException("Cannot open a query of tabular store " + store.describe() + ": "
                        + e.getMessage(), e);
            }
        }
        this.shared = shared;
    }

    /** A connection for one call; closing it closes it only if the call owns it. */
    private record Lease(Connection connection, boolean owned) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            if (owned) {
                connection.close();
            }
        }
    }

    /** @return the query's shared connection where the dialect shares, else a new one */
    private Lease lease() throws SQLException {
        return shared != null ? new Lease(shared, false) : new Lease(store.dialect().connect(), true);
    }

    private boolean isVisible(ResultSet rs) throws SQLException {
        Long generation = visible.get(rs.getString(1));
        return generation != null && generation == rs.getLong(2);
    }

    private String describeSql(String sql, Long label) {
        return sql + (label == null ? " -- snapshot=" + snapshot : " -- label=" + label);
    }

    /** Binds the snapshot (whole-table statements) or the label (per-label statements). */
    private PreparedStatement prepare(Connection connection, String sql, Long label) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        ps.setLong(1, label == null ? snapshot : label);
        return ps;
    }

    private StorageException failure(String what, Long label, Exception e) {
        return new StorageException("Cannot read " + what + (label == null ? "" : " of label " + Labels.format(label))
                + " from tabular store " + store.describe() + ": " + e.getMessage(), e);
    }

    @Override
    public LabelSummaries labelSummaries() {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "labelSummaries");
        return summaryRows(layout.selectLabelSummaries(), timing, QueryTiming.Recorder::dataReadDone);
    }

    /**
     * Streams a label summary statement (its one parameter the snapshot), each row charged to
     * {@code phase}.
     */
    private LabelSummaries summaryRows(String sql, QueryTiming.Recorder timing,
            java.util.function.Consumer<QueryTiming.Recorder> phase) {
        timing.sql(describeSql(sql, null));
        Lease lease = null;
        PreparedStatement ps = null;
        try {
            lease = lease();
            ps = prepare(lease.connection(), sql, null);
            ResultSet rs = ps.executeQuery();
            timing.indexLookupDone();
            return new LabelSummaryRows(timing, rs, phase, e -> failure("the label summaries", null, e), ps, lease);
        } catch (SQLException e) {
            Closeables.closeQuietly(ps, lease);
            throw failure("the label summaries", null, e);
        }
    }

    @Override
    public long labelCount() {
        String sql = layout.selectLabelCount();
        try (Lease c = lease(); PreparedStatement ps = prepare(c.connection(), sql, null);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("the label count", null, e);
        }
    }

    /**
     * A label's point count, rows and sorted block ids in this query's snapshot.
     *
     * @param points points of the visible rows
     * @param rows visible rows
     * @param blocks distinct block ids, sorted by {@link String#compareTo}
     * @param blockPoints the points of each block, in the order of {@code blocks}
     */
    private record Summary(long points, long rows, List<String> blocks, long[] blockPoints) {
        static Summary of(long rows, TreeMap<String, Long> byBlock) {
            long points = 0;
            long[] blockPoints = new long[byBlock.size()];
            int i = 0;
            for (long n : byBlock.values()) {
                blockPoints[i++] = n;
                points += n;
            }
            return new Summary(points, rows, List.copyOf(byBlock.keySet()), blockPoints);
        }
    }

    /**
     * The label's summary: from the cache, or one statement that reads no payload. The snapshot
     * never changes, so a cached summary stays right for the life of the query.
     */
    private Summary summary(long label, QueryTiming.Recorder timing) {
        Summary cached = summaries.getIfPresent(label);
        if (cached != null) {
            timing.indexLookupDone().cacheHit(true);
            return cached;
        }
        String sql = layout.selectSummary();
        timing.sql(describeSql(sql, label));
        try (Lease c = lease(); PreparedStatement ps = prepare(c.connection(), sql, label);
                ResultSet rs = ps.executeQuery()) {
            long rows = 0;
            TreeMap<String, Long> byBlock = new TreeMap<>();
            while (rs.next()) {
                if (isVisible(rs)) {
                    byBlock.merge(rs.getString(3), rs.getLong(4), Long::sum);
                    rows++;
                }
            }
            Summary summary = Summary.of(rows, byBlock);
            summaries.put(label, summary);
            timing.indexLookupDone().rows(rows);
            return summary;
        } catch (SQLException e) {
            throw failure("the point count and blocks", label, e);
        }
    }

    @Override
    public Timed<Long> pointCount(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount");
        return new Timed<>(summary(label, timing).points(), timing.finish(0));
    }

    @Override
    public Timed<List<String>> blocks(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks");
        return new Timed<>(summary(label, timing).blocks(), timing.finish(0));
    }

    /** One visible row of a label as read, before decoding. */
    private record Row(String workerId, String blockId, int chunk, int points, int dimensions, Object payload) {
        static final Comparator<Row> WRITE_ORDER = Comparator.comparing(Row::workerId).thenComparing(Row::blockId)
                .thenComparingInt(Row::chunk);
    }

    /** Reads the visible rows of the current statement, sorted by worker, block and chunk. */
    private List<Row> readRows(ResultSet rs, QueryTiming.Recorder timing) throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (Row row = nextVisible(rs, timing); row != null; row = nextVisible(rs, timing)) {
            rows.add(row);
        }
        rows.sort(Row.WRITE_ORDER);
        timing.dataReadDone();
        return rows;
    }

    /**
     * Advances a points statement to its next visible row, charging the read to the data read
     * (one row, its stored payload bytes).
     *
     * @return the row, payload not yet decoded; null at the end
     */
    private Row nextVisible(ResultSet rs, QueryTiming.Recorder timing) throws SQLException {
        while (rs.next()) {
            if (isVisible(rs)) {
                Row row = row(rs);
                timing.dataReadDone().rows(1).bytes(rs.getInt(7));
                return row;
            }
        }
        return null;
    }

    private static Summary summarize(List<Row> rows) {
        TreeMap<String, Long> byBlock = new TreeMap<>();
        for (Row row : rows) {
            byBlock.merge(row.blockId(), (long) row.points(), Long::sum);
        }
        return Summary.of(rows.size(), byBlock);
    }

    /** @return a visible row of the current result set position, payload not yet decoded */
    private Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), codec.read(rs, 8));
    }

    @Override
    public Timed<PointCloud> points(long label, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        String sql = layout.selectPoints();
        timing.sql(describeSql(sql, label));
        List<Row> rows;
        try (Lease c = lease(); PreparedStatement ps = prepare(c.connection(), sql, label);
                ResultSet rs = ps.executeQuery()) {
            timing.indexLookupDone();
            rows = readRows(rs, timing);
        } catch (SQLException e) {
            throw failure("the points", label, e);
        }
        summaries.put(label, summarize(rows));
        return assemble(label, rows, emptyDimensions, timing);
    }

    /** Decodes rows (sorted) into one cloud. */
    private Timed<PointCloud> assemble(long label, List<Row> rows, int emptyDimensions, QueryTiming.Recorder timing) {
        if (rows.isEmpty()) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        int dims = rows.getFirst().dimensions();
        long total = 0;
        for (Row row : rows) {
            if (row.dimensions() != dims) {
                throw new StorageException("Cannot read points of label " + Labels.format(label)
                        + " from tabular store " + store.describe() + ": rows hold D = " + dims + " and D = "
                        + row.dimensions());
            }
            total += row.points();
        }
        long[] values = new long[OneArray.valueCount(label, total, dims)];
        int at = 0;
        try (Compression.Decompressor decompressor = new Compression.Decompressor()) {
            for (Row row : rows) {
                decode(label, row.payload(), row.points(), dims, values, at, decompressor);
                at += row.points() * dims;
            }
        }
        timing.decodeDone();
        return new Timed<>(PointCloud.wrap(values, dims), timing.finish(total));
    }

    /** Block ids per statement of a per-block read: few enough for any engine's parameter limit. */
    private static final int BLOCKS_PER_STATEMENT = 500;

    /**
     * Reads the visible rows of a label in the given blocks, {@link #BLOCKS_PER_STATEMENT} block
     * ids per statement, sorted by worker, block and chunk.
     */
    private List<Row> rowsInBlocks(long label, List<String> blockIds, QueryTiming.Recorder timing) {
        List<Row> rows = new ArrayList<>();
        try (Lease c = lease()) {
            for (int from = 0; from < blockIds.size(); from += BLOCKS_PER_STATEMENT) {
                List<String> batch = blockIds.subList(from, Math.min(blockIds.size(), from + BLOCKS_PER_STATEMENT));
                String sql = layout.selectPointsInBlocks(batch.size());
                timing.sql(describeSql(sql, label) + " blocks=" + batch.size());
                try (PreparedStatement ps = prepare(c.connection(), sql, label)) {
                    for (int i = 0; i < batch.size(); i++) {
                        ps.setString(2 + i, batch.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        timing.indexLookupDone();
                        rows.addAll(readRows(rs, timing));
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("the points in " + blockIds.size() + " blocks", label, e);
        }
        rows.sort(Row.WRITE_ORDER);
        return rows;
    }

    @Override
    public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        List<String> sorted = new ArrayList<>(new TreeSet<>(blockIds));
        return assemble(label, rowsInBlocks(label, sorted, timing), emptyDimensions, timing);
    }

    /**
     * The most points one statement of {@link #streamBlocks} reads for a window of several blocks,
     * held (compressed) and sorted in memory; a block larger than the window is streamed on its
     * own, row by row.
     */
    static final int WINDOW_POINTS = 1 << 20;

    /**
     * Reads the label's blocks in windows of consecutive blocks (in {@link String#compareTo}
     * order, from the label's summary, which reads no payload): one statement per window. A
     * window of several blocks holds at most {@link #WINDOW_POINTS} (or the chunk size) points,
     * read and sorted by block in memory; a window of one block streams its rows from the open
     * result set, so memory stays bounded by the chunk size however large a block is. The SQL
     * engines order VARCHAR by UTF-8 bytes, which differs from {@code String.compareTo} for some
     * characters, hence the sort in Java rather than ORDER BY.
     */
    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        return ChunkCursor.blockChunks(new RowCursor(blockWindows(label, maxChunkPoints, timing), maxChunkPoints, true,
                timing));
    }

    /** @return the label's rows in windows of consecutive blocks, from its summary (one statement) */
    private BlockWindows blockWindows(long label, int maxChunkPoints, QueryTiming.Recorder timing) {
        Summary summary = summary(label, timing);
        List<List<String>> windows = new ArrayList<>();
        long limit = Math.max(WINDOW_POINTS, maxChunkPoints);
        List<String> window = new ArrayList<>();
        long windowPoints = 0;
        for (int b = 0; b < summary.blocks().size(); b++) {
            long n = summary.blockPoints()[b];
            if (!window.isEmpty() && windowPoints + n > limit) {
                windows.add(window);
                window = new ArrayList<>();
                windowPoints = 0;
            }
            window.add(summary.blocks().get(b));
            windowPoints += n;
        }
        if (!window.isEmpty()) {
            windows.add(window);
        }
        return new BlockWindows(label, windows, timing);
    }

    /** Where a cursor's rows come from, one at a time; closed with the cursor. */
    private interface RowSource {
        /** @return the next visible row (payload not decoded), or null at the end */
        LabelRow next() throws SQLException;

        /** Releases the statements and connections it holds. */
        void close();
    }

    /** A visible row with the label it belongs to. */
    private record LabelRow(long label, Row row) {
    }

    /** The rows of an open statement, in the order they come. */
    private final class LiveRows implements RowSource {
        private final long label;
        private final Lease lease;
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final QueryTiming.Recorder timing;

        LiveRows(long label, Lease lease, PreparedStatement statement, ResultSet rows, QueryTiming.Recorder timing) {
            this.label = label;
            this.lease = lease;
            this.statement = statement;
            this.rows = rows;
            this.timing = timing;
        }

        @Override
        public LabelRow next() throws SQLException {
            Row row = nextVisible(rows, timing);
            return row == null ? null : new LabelRow(label, row);
        }

        @Override
        public void close() {
            Closeables.closeQuietly(rows, statement, lease);
        }
    }

    /**
     * A label's rows, window by window: a window of several blocks read whole and sorted by
     * block, a window of one block streamed from its open statement.
     */
    private final class BlockWindows implements RowSource {
        private final long label;
        private final List<List<String>> windows;
        private final QueryTiming.Recorder timing;
        private int window;
        /** The rows of a multi-block window, sorted by block, or null. */
        private java.util.Iterator<Row> buffered;
        /** The rows of a single-block window, or null. */
        private LiveRows live;

        BlockWindows(long label, List<List<String>> windows, QueryTiming.Recorder timing) {
            this.label = label;
            this.windows = windows;
            this.timing = timing;
        }

        @Override
        public LabelRow next() throws SQLException {
            while (true) {
                if (buffered != null && buffered.hasNext()) {
                    return new LabelRow(label, buffered.next());
                }
                if (live != null) {
                    LabelRow row = live.next();
                    if (row != null) {
                        return row;
                    }
                    live.close();
                    live = null;
                }
                if (window == windows.size()) {
                    return null;
                }
                List<String> blocks = windows.get(window++);
                if (blocks.size() > 1) {
                    List<Row> rows = rowsInBlocks(label, blocks, timing);
                    rows.sort(Comparator.comparing(Row::blockId));
                    buffered = rows.iterator();
                } else {
                    buffered = null;
                    String sql = layout.selectPointsInBlocks(1);
                    timing.sql(describeSql(sql, label) + " blocks=1");
                    Lease lease = lease();
                    PreparedStatement statement = null;
                    try {
                        statement = prepare(lease.connection(), sql, label);
                        statement.setString(2, blocks.getFirst());
                        live = new LiveRows(label, lease, statement, statement.executeQuery(), timing);
                    } catch (SQLException | RuntimeException e) {
                        Closeables.closeQuietly(statement, lease);
                        throw e;
                    }
                    timing.indexLookupDone();
                }
            }
        }

        @Override
        public void close() {
            buffered = null;
            if (live != null) {
                live.close();
                live = null;
            }
        }
    }

    private void decode(long label, Object payload, int points, int dims, long[] target, int offset,
            Compression.Decompressor decompressor) {
        try {
            codec.decodeInto(payload, points, dims, target, offset, decompressor);
        } catch (RuntimeException e) {
            throw new StorageException("Cannot decode points of label " + Labels.format(label) + " in tabular store "
                    + store.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the label's rows lazily from an open result set and decodes one row at a time, so
     * memory holds one row's payload plus one chunk of values. Chunks come in storage order.
     */
    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        String sql = layout.selectPoints();
        timing.sql(describeSql(sql, label));
        Lease lease = null;
        PreparedStatement ps = null;
        try {
            lease = lease();
            ps = prepare(lease.connection(), sql, label);
            ResultSet rs = ps.executeQuery();
            timing.indexLookupDone();
            return ChunkCursor.pointChunks(new RowCursor(new LiveRows(label, lease, ps, rs, timing), maxChunkPoints,
                    false, timing));
        } catch (SQLException e) {
            Closeables.closeQuietly(ps, lease);
            throw failure("the points", label, e);
        }
    }

    /** The most labels one statement of {@link #streamLabels} names in a list. */
    static final int LABELS_PER_STATEMENT = 1000;
    /** The most points one statement of {@link #streamLabels} reads for a window of labels. */
    static final int LABEL_WINDOW_POINTS = 1 << 22;
    /**
     * The most stored payload bytes one statement of {@link #streamLabels} reads for a window of
     * labels: what the window holds in memory.
     */
    static final long LABEL_WINDOW_BYTES = 16L << 20;

    /**
     * Reads the selected labels in windows of consecutive labels: the labels' sizes (one
     * statement for a range or every label, one per {@link #LABELS_PER_STATEMENT} listed labels)
     * cut into windows of at most {@link #LABEL_WINDOW_POINTS} points (or the chunk size) and
     * {@link #LABEL_WINDOW_BYTES} stored bytes, each read by one statement (a BETWEEN of its first
     * and last label, or a list of its labels) and sorted in Java by label, block, worker and row;
     * a label larger than a window is read window of blocks by window of blocks, as
     * {@link #streamBlocks} does. Memory holds one window's rows (as stored) and one chunk. Each
     * statement costs Trino a fixed planning and scheduling time besides its rows: verifying
     * gt_supervoxels took 10.6 s in windows of 1 Mi points and 7.6 s in windows of 4 Mi
     * (Trino 476, 2 cores).
     */
    @Override
    public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamLabels");
        return ChunkCursor.labelChunks(new RowCursor(new LabelWindows(selection, maxChunkPoints, timing),
                maxChunkPoints, true, timing));
    }

    /** A label's size as {@link TableLayout#selectLabelSizes} gives it: upper bounds. */
    private record LabelSize(long label, long points, long storedBytes) {
    }

    /**
     * The selected labels' sizes in unsigned order ({@link TableLayout#selectLabelSizes}): one
     * statement for a range or every label, one per {@link #LABELS_PER_STATEMENT} listed labels.
     */
    private final class SelectedSizes {
        private final LabelSelection selection;
        private final QueryTiming.Recorder timing;
        private int listed;
        private Lease lease;
        private PreparedStatement statement;
        private ResultSet open;
        private LabelSize peeked;
        private LabelSize previous;

        SelectedSizes(LabelSelection selection, QueryTiming.Recorder timing) {
            this.selection = selection;
            this.timing = timing;
        }

        /** @return the next size without taking it, or null at the end */
        LabelSize peek() throws SQLException {
            while (peeked == null) {
                if (open != null && open.next()) {
                    LabelSize next = new LabelSize(open.getLong(1), open.getLong(2), open.getLong(3));
                    if (previous != null && Long.compareUnsigned(next.label(), previous.label()) <= 0) {
                        throw new SQLException("label " + Labels.format(next.label()) + " comes after "
                                + Labels.format(previous.label()) + ": the label sizes must be in strictly increasing"
                                + " unsigned order");
                    }
                    timing.indexLookupDone();
                    peeked = next;
                    previous = next;
                } else {
                    closeStatement();
                    String predicate = nextPredicate();
                    if (predicate == null) {
                        return null;
                    }
                    String sql = layout.selectLabelSizes(predicate);
                    timing.sql(describeSql(sql, null));
                    lease = lease();
                    statement = prepare(lease.connection(), sql, null);
                    open = statement.executeQuery();
                }
            }
            return peeked;
        }

        LabelSize take() throws SQLException {
            LabelSize next = peek();
            peeked = null;
            return next;
        }

        /** @return the predicate of the next size statement, or null if there is none */
        private String nextPredicate() {
            if (selection instanceof LabelSelection.Listed list) {
                if (listed == list.size()) {
                    return null;
                }
                int to = Math.min(list.size(), listed + LABELS_PER_STATEMENT);
                long[] labels = new long[to - listed];
                for (int i = listed; i < to; i++) {
                    labels[i - listed] = list.label(i);
                }
                listed = to;
                return LabelPredicates.list("p.label", labels, 0, labels.length);
            }
            if (listed > 0) {
                return null;
            }
            listed = 1;
            return selection instanceof LabelSelection.Range range
                    ? LabelPredicates.range("p.label", range.first(), range.last()) : "TRUE";
        }

        private void closeStatement() {
            Closeables.closeQuietly(open, statement, lease);
            open = null;
            statement = null;
            lease = null;
        }

        void close() {
            peeked = null;
            closeStatement();
        }
    }

    /** The rows of the selected labels, window of labels by window of labels. */
    private final class LabelWindows implements RowSource {
        private static final Comparator<LabelRow> ORDER = Comparator.<LabelRow, Long>comparing(LabelRow::label,
                Long::compareUnsigned).thenComparing(r -> r.row().blockId()).thenComparing(r -> r.row().workerId())
                .thenComparingInt(r -> r.row().chunk());

        private final LabelSelection selection;
        private final int maxChunkPoints;
        private final QueryTiming.Recorder timing;
        private final SelectedSizes sizes;
        /** The rows of the current window, sorted, or null. */
        private java.util.Iterator<LabelRow> buffered;
        /** The rows of a label larger than a window, or null. */
        private BlockWindows large;

        LabelWindows(LabelSelection selection, int maxChunkPoints, QueryTiming.Recorder timing) {
            this.selection = selection;
            this.maxChunkPoints = maxChunkPoints;
            this.timing = timing;
            this.sizes = new SelectedSizes(selection, timing);
        }

        @Override
        public LabelRow next() throws SQLException {
            while (true) {
                if (buffered != null && buffered.hasNext()) {
                    return buffered.next();
                }
                buffered = null;
                if (large != null) {
                    LabelRow row = large.next();
                    if (row != null) {
                        return row;
                    }
                    large.close();
                    large = null;
                }
                long maxPoints = Math.max(LABEL_WINDOW_POINTS, maxChunkPoints);
                // A list names its labels in the statement; a range's BETWEEN is as long for any count.
                int maxLabels = selection instanceof LabelSelection.Listed ? LABELS_PER_STATEMENT : Integer.MAX_VALUE;
                long[] window = new long[64];
                int labels = 0;
                long points = 0;
                long bytes = 0;
                for (LabelSize next = sizes.peek(); next != null; next = sizes.peek()) {
                    if (next.points() > maxPoints || next.storedBytes() > LABEL_WINDOW_BYTES) {
                        if (labels == 0) {
                            sizes.take();
                            large = blockWindows(next.label(), maxChunkPoints, timing);
                        }
                        break;
                    }
                    if (labels > 0 && (points + next.points() > maxPoints
                            || bytes + next.storedBytes() > LABEL_WINDOW_BYTES || labels == maxLabels)) {
                        break;
                    }
                    sizes.take();
                    if (labels == window.length) {
                        window = java.util.Arrays.copyOf(window, labels * 2);
                    }
                    window[labels++] = next.label();
                    points += next.points();
                    bytes += next.storedBytes();
                }
                if (labels == 0 && large == null) {
                    return null;
                }
                if (labels > 0) {
                    buffered = readWindow(window, labels).iterator();
                }
            }
        }

        /** Reads a window's rows with one statement and sorts them. */
        private List<LabelRow> readWindow(long[] labels, int count) throws SQLException {
            String predicate = selection instanceof LabelSelection.Listed
                    ? LabelPredicates.list("label", labels, 0, count)
                    : LabelPredicates.range("label", labels[0], labels[count - 1]);
            String sql = layout.selectPointsOfLabels(predicate);
            timing.sql(describeSql(sql, null) + " labels=" + count);
            List<LabelRow> rows = new ArrayList<>();
            try (Lease c = lease(); Statement statement = c.connection().createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                timing.indexLookupDone();
                for (Row row = nextVisible(rs, timing); row != null; row = nextVisible(rs, timing)) {
                    rows.add(new LabelRow(rs.getLong(9), row));
                }
            }
            rows.sort(ORDER);
            timing.dataReadDone();
            return rows;
        }

        @Override
        public void close() {
            buffered = null;
            if (large != null) {
                large.close();
                large = null;
            }
            sizes.close();
        }
    }

    @Override
    public Optional<PointSchema> schema() {
        // The schema is recorded in the metadata table before any row of it is written.
        return store.schema();
    }

    @Override
    public StoreStats stats() {
        String sql = layout.selectStats();
        try (Lease c = lease(); PreparedStatement ps = prepare(c.connection(), sql, null);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), 0, rs.getLong(4));
        } catch (SQLException e) {
            throw failure("the totals", null, e);
        }
    }

    @Override
    public void close() {
        // Streams own their connections.
        if (shared != null) {
            Closeables.closeQuietly(shared);
        }
    }

    /** A visible row with its payload decoded: one run of a label's points. */
    private record DecodedRow(long label, String blockId, PointCloud points) {
    }

    /**
     * Decodes rows one at a time, as a {@link RowSource} supplies them, and cuts them into chunks:
     * memory holds one row's values plus one chunk (plus what the source holds). A label's rows
     * must all have one D.
     */
    private final class RowCursor extends ChunkCursor<DecodedRow> {
        private final RowSource source;
        private final Compression.Decompressor decompressor = new Compression.Decompressor();
        private long dimensionsLabel;
        private int dimensions = -1;

        RowCursor(RowSource source, int maxChunkPoints, boolean oneBlock, QueryTiming.Recorder timing) {
            super(timing, maxChunkPoints, oneBlock);
            this.source = source;
        }

        @Override
        protected DecodedRow nextRun() throws SQLException {
            LabelRow next = source.next();
            if (next == null) {
                return null;
            }
            Row row = next.row();
            if (dimensions < 0 || dimensionsLabel != next.label()) {
                dimensions = row.dimensions();
                dimensionsLabel = next.label();
            } else if (row.dimensions() != dimensions) {
                throw new StorageException("Cannot read points of label " + Labels.format(next.label())
                        + " from tabular store " + store.describe() + ": rows hold D = " + dimensions + " and D = "
                        + row.dimensions());
            }
            long[] values = new long[Math.multiplyExact(row.points(), row.dimensions())];
            decode(next.label(), row.payload(), row.points(), row.dimensions(), values, 0, decompressor);
            timing.decodeDone();
            return new DecodedRow(next.label(), row.blockId(), PointCloud.wrap(values, row.dimensions()));
        }

        @Override
        protected long label(DecodedRow row) {
            return row.label();
        }

        @Override
        protected String blockId(DecodedRow row) {
            return row.blockId();
        }

        @Override
        protected long pointCount(DecodedRow row) {
            return row.points().size();
        }

        @Override
        protected PointCloud read(List<Slice<DecodedRow>> slices, int points) {
            return join(slices, DecodedRow::points, slices.getFirst().run().points().dimensions());
        }

        @Override
        protected void release() {
            try {
                source.close();
            } finally {
                decompressor.close();
            }
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return TabularQuery.this.failure("the points", null, e);
        }
    }
}
