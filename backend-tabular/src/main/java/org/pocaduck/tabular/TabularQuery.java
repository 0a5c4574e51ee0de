package org.pocaduck.tabular;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
 * query was opened. Thread-safe: every call uses its own connection.
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

    TabularQuery(TabularStore store, long snapshot) {
        this.store = store;
        this.layout = store.layout();
        this.codec = store.codec();
        this.snapshot = snapshot;
    }

    private String describeSql(String sql, Long label) {
        return sql + " -- snapshot=" + snapshot + (label == null ? "" : ", label=" + label);
    }

    private PreparedStatement prepare(Connection connection, String sql, Long label) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        ps.setLong(1, snapshot);
        if (label != null) {
            ps.setLong(2, label);
        }
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
        try (Connection c = store.dialect().connect(); PreparedStatement ps = prepare(c, sql, null);
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

    @Override
    public Timed<Long> pointCount(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount");
        String sql = layout.countPoints();
        timing.sql(describeSql(sql, label));
        try (Connection c = store.dialect().connect(); PreparedStatement ps = prepare(c, sql, label);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            long count = rs.getLong(1);
            long rows = rs.getLong(2);
            timing.indexLookupDone().rows(rows);
            return new Timed<>(count, timing.finish(0));
        } catch (SQLException e) {
            throw failure("the point count", label, e);
        }
    }

    @Override
    public Timed<List<String>> blocks(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks");
        String sql = layout.selectBlocks();
        timing.sql(describeSql(sql, label));
        try (Connection c = store.dialect().connect(); PreparedStatement ps = prepare(c, sql, label);
                ResultSet rs = ps.executeQuery()) {
            timing.indexLookupDone();
            TreeSet<String> blocks = new TreeSet<>();
            while (rs.next()) {
                blocks.add(rs.getString(1));
            }
            timing.dataReadDone().rows(blocks.size());
            return new Timed<>(List.copyOf(blocks), timing.finish(0));
        } catch (SQLException e) {
            throw failure("the blocks", label, e);
        }
    }

    @Override
    public Timed<PointCloud> points(long label, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        String sql = layout.selectPoints();
        timing.sql(describeSql(sql, label));
        List<Object> payloads = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        long total = 0;
        long bytes = 0;
        int dims = -1;
        try (Connection c = store.dialect().connect(); PreparedStatement ps = prepare(c, sql, label);
                ResultSet rs = ps.executeQuery()) {
            timing.indexLookupDone();
            while (rs.next()) {
                int n = rs.getInt(1);
                int d = rs.getInt(2);
                bytes += rs.getInt(3);
                payloads.add(codec.read(rs, 4));
                shapes.add(new int[] {n, d});
                if (dims >= 0 && d != dims) {
                    throw new StorageException("Cannot read points of label " + Labels.format(label)
                            + " from tabular store " + store.describe() + ": rows hold D = " + dims + " and D = " + d);
                }
                dims = d;
                total += n;
            }
            timing.dataReadDone().rows(payloads.size()).bytes(bytes);
        } catch (SQLException e) {
            throw failure("the points", label, e);
        }
        if (payloads.isEmpty()) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        long valueCount = total * dims;
        if (valueCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read points of label " + Labels.format(label)
                    + " into one array: it has " + total + " points x " + dims + " dimensions; use Query.streamPoints");
        }
        long[] values = new long[(int) valueCount];
        int at = 0;
        for (int i = 0; i < payloads.size(); i++) {
            int[] shape = shapes.get(i);
            decode(label, payloads.get(i), shape[0], shape[1], values, at);
            at += shape[0] * shape[1];
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

    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        String sql = layout.selectPoints();
        timing.sql(describeSql(sql, label));
        Connection c = null;
        PreparedStatement ps = null;
        try {
            c = store.dialect().connect();
            ps = prepare(c, sql, label);
            ResultSet rs = ps.executeQuery();
            timing.indexLookupDone();
            return new Chunks(label, c, ps, rs, maxChunkPoints, timing);
        } catch (SQLException e) {
            closeQuietly(ps, c);
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
        try (Connection c = store.dialect().connect(); PreparedStatement ps = prepare(c, sql, null);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), 0, rs.getLong(4));
        } catch (SQLException e) {
            throw failure("the totals", null, e);
        }
    }

    @Override
    public void close() {
        // Connections are per call; streams own theirs.
    }

    /** Reads rows lazily from its own connection and cuts them into chunks. */
    private final class Chunks implements PointChunks {
        private final long label;
        private final Connection connection;
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

        Chunks(long label, Connection connection, PreparedStatement statement, ResultSet rows, int maxChunkPoints,
                QueryTiming.Recorder timing) {
            this.label = label;
            this.connection = connection;
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
                    int n = rows.getInt(1);
                    int d = rows.getInt(2);
                    timing.bytes(rows.getInt(3));
                    Object payload = codec.read(rows, 4);
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
                closeQuietly(rows, statement, connection);
            }
        }
    }
}
