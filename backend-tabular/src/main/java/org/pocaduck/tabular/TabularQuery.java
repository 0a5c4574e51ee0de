package org.pocaduck.tabular;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;
import org.pocaduck.Labels;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.spi.BackendQuery;

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

    private StorageException failure(String what, Long label, SQLException e) {
        return new StorageException("Cannot read " + what + (label == null ? "" : " of label " + Labels.format(label))
                + " from tabular store " + store.describe() + ": " + e.getMessage(), e);
    }

    @Override
    public Timed<long[]> labels() {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "labels");
        String sql = layout.selectLabels();
        timing.sql(describeSql(sql, null));
        try (Lease c = lease(); PreparedStatement ps = prepare(c.connection(), sql, null);
                ResultSet rs = ps.executeQuery()) {
            timing.indexLookupDone();
            long[] labels = new long[64];
            int n = 0;
            while (rs.next()) {
                if (n == labels.length) {
                    labels = java.util.Arrays.copyOf(labels, n * 2);
                }
                labels[n++] = rs.getLong(1);
            }
            timing.dataReadDone();
            labels = java.util.Arrays.copyOf(labels, n);
            // Stored as signed BIGINT: the final order is unsigned, done here.
            Labels.sortUnsigned(labels);
            timing.decodeDone().rows(n).bytes((long) n * Long.BYTES);
            return new Timed<>(labels, timing.finish(0));
        } catch (SQLException e) {
            throw failure("the labels", null, e);
        }
    }

    /**
     * A label's point count, rows and sorted block ids in this query's snapshot.
     *
     * @param points points of the visible rows
     * @param rows visible rows
     * @param blocks distinct block ids, sorted by {@link String#compareTo}
     */
    private record Summary(long points, long rows, List<String> blocks) {
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
            long points = 0;
            long rows = 0;
            TreeSet<String> blocks = new TreeSet<>();
            while (rs.next()) {
                if (isVisible(rs)) {
                    blocks.add(rs.getString(3));
                    points += rs.getLong(4);
                    rows++;
                }
            }
            Summary summary = new Summary(points, rows, List.copyOf(blocks));
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
        long bytes = 0;
        while (rs.next()) {
            if (isVisible(rs)) {
                rows.add(new Row(rs.getString(1), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
                        codec.read(rs, 8)));
                bytes += rs.getInt(7);
            }
        }
        rows.sort(Row.WRITE_ORDER);
        timing.dataReadDone().rows(rows.size()).bytes(bytes);
        return rows;
    }

    private static Summary summarize(List<Row> rows) {
        long points = 0;
        TreeSet<String> blocks = new TreeSet<>();
        for (Row row : rows) {
            points += row.points();
            blocks.add(row.blockId());
        }
        return new Summary(points, rows.size(), List.copyOf(blocks));
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
        long valueCount = total * dims;
        if (valueCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read points of label " + Labels.format(label)
                    + " into one array: it has " + total + " points x " + dims + " dimensions; use Query.streamPoints");
        }
        long[] values = new long[(int) valueCount];
        int at = 0;
        for (Row row : rows) {
            decode(label, row.payload(), row.points(), dims, values, at);
            at += row.points() * dims;
        }
        timing.decodeDone();
        return new Timed<>(PointCloud.wrap(values, dims), timing.finish(total));
    }

    private void decode(long label, Object payload, int points, int dims, long[] target, int offset) {
        try {
            codec.decodeInto(payload, points, dims, target, offset);
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
            return new Chunks(label, lease, ps, rs, maxChunkPoints, timing);
        } catch (SQLException e) {
            closeQuietly(ps, lease);
            throw failure("the points", label, e);
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception ignored) {
                    // Releasing after a failure: the failure is what the caller needs.
                }
            }
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
            closeQuietly(shared);
        }
    }

    /** Reads and decodes rows one at a time and cuts them into chunks. */
    private final class Chunks implements PointChunks {
        private final long label;
        private final Lease lease;
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final int maxChunkPoints;
        private final QueryTiming.Recorder timing;
        private long[] current;
        private int currentPoints;
        private int currentAt;
        private int dims;
        private long returned;
        private boolean closed;

        Chunks(long label, Lease lease, PreparedStatement statement, ResultSet rows, int maxChunkPoints,
                QueryTiming.Recorder timing) {
            this.label = label;
            this.lease = lease;
            this.statement = statement;
            this.rows = rows;
            this.maxChunkPoints = maxChunkPoints;
            this.timing = timing;
        }

        /** Makes {@code current} hold unread points, reading a row if needed; false at the end. */
        private boolean fill() {
            while (!closed && (current == null || currentAt == currentPoints)) {
                try {
                    timing.skip();
                    if (!rows.next()) {
                        close();
                        return false;
                    }
                    if (!isVisible(rows)) {
                        continue;
                    }
                    int n = rows.getInt(5);
                    int d = rows.getInt(6);
                    timing.bytes(rows.getInt(7));
                    Object payload = codec.read(rows, 8);
                    timing.dataReadDone().rows(1);
                    long[] values = new long[n * d];
                    decode(label, payload, n, d, values, 0);
                    timing.decodeDone();
                    current = values;
                    currentPoints = n;
                    currentAt = 0;
                    dims = d;
                } catch (SQLException e) {
                    close();
                    throw failure("the points", label, e);
                }
            }
            return !closed;
        }

        @Override
        public boolean hasNext() {
            return fill();
        }

        @Override
        public PointCloud next() {
            if (!fill()) {
                throw new NoSuchElementException("No more chunks");
            }
            List<PointCloud> parts = new ArrayList<>();
            int filled = 0;
            int chunkDims = dims;
            while (filled < maxChunkPoints && fill() && dims == chunkDims) {
                int take = Math.min(maxChunkPoints - filled, currentPoints - currentAt);
                parts.add(PointCloud.wrap(current, dims).slice(currentAt, currentAt + take));
                currentAt += take;
                filled += take;
            }
            returned += filled;
            return parts.size() == 1 ? parts.getFirst() : PointCloud.concat(chunkDims, parts);
        }

        @Override
        public QueryTiming timing() {
            return timing.finish(returned);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                closeQuietly(rows, statement, lease);
            }
        }
    }
}
