package org.pocaduck.parquet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.duckdb.DuckDBConnection;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
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
 * A read-only view of the consolidated index current when it was opened. Index lookups run on
 * DuckDB connections (the index file opened read-only, one connection per concurrent caller);
 * points are read from the Parquet files with {@link PointReader}. Recently read labels are kept
 * in a byte-bounded LRU cache (Caffeine) unless {@code cache_bytes} is 0. A large label is read
 * in pieces at once, on the calling thread and a pool of one thread per further processor
 * (idle threads end after 30 seconds; {@link #close} stops them). Thread-safe.
 *
 * <p>Timing: index lookup is the DuckDB query; data read is opening files, reading footers and
 * the pages of the label's rows (bytes as stored); decode is decompressing and decoding the
 * pages' values. A cache hit charges the cache lookup to the index lookup and reports the cached
 * cloud's in-memory rows and bytes.
 */
final class ParquetDuckdbQuery implements BackendQuery {
    private static final String BACKEND = ParquetDuckdbBackendFactory.STORAGE_TYPE;
    /** The consolidator writes label_summary sorted by label; a plain scan returns it in that order. */
    static final String SQL_LABEL_SUMMARIES = "SELECT label, point_count, block_count FROM label_summary";
    static final String SQL_LABEL_COUNT = "SELECT labels FROM summary";
    static final String SQL_POINT_COUNT = "SELECT point_count FROM label_summary WHERE label = CAST(? AS UBIGINT)";
    static final String SQL_BLOCKS = "SELECT DISTINCT block_id FROM point_cloud_index WHERE label = CAST(? AS UBIGINT)";
    static final String SQL_ROWS = "SELECT block_id, file_path, row_start, point_count FROM point_cloud_index "
            + "WHERE label = CAST(? AS UBIGINT)";
    static final String SQL_STATS = "SELECT labels, points, label_block_pairs, files, bytes FROM summary";

    private final Path indexFile;
    private final DuckDBConnection base;
    private final ConcurrentLinkedQueue<Session> pool = new ConcurrentLinkedQueue<>();
    private final PointSchema schema;
    private final PointReader reader;
    private final Cache<Long, PointCloud> cache;
    /** The memory-mapped copy of the index's rows; null where there is none (lookups use SQL). */
    private final LabelDirectory directory;
    private volatile boolean closed;

    private ParquetDuckdbQuery(Path indexFile, DuckDBConnection base, PointSchema schema, PointReader reader,
            Cache<Long, PointCloud> cache, LabelDirectory directory) {
        this.indexFile = indexFile;
        this.directory = directory;
        this.base = base;
        this.schema = schema;
        this.reader = reader;
        this.cache = cache;
    }

    static BackendQuery open(StoreIO io, Settings settings, PointSchema storeSchema) {
        String name;
        try {
            StoreIO.Versioned current = io.read(StoreLayout.indexCurrent());
            name = current == null ? null : current.text();
        } catch (IOException e) {
            throw new StorageException("Cannot open a query of store " + io.root() + ": cannot read "
                    + io.describe(StoreLayout.indexCurrent()) + ": " + e.getMessage(), e);
        }
        if (name == null) {
            return new EmptyQuery(storeSchema);
        }
        Path index;
        try {
            index = io.localFile(StoreLayout.index(name));
        } catch (NoSuchFileException e) {
            throw new StorageException("Cannot open a query of store " + io.root() + ": the consolidated index "
                    + io.describe(StoreLayout.index(name)) + " named by " + io.describe(StoreLayout.indexCurrent())
                    + " is missing", e);
        } catch (IOException e) {
            throw new StorageException("Cannot open a query of store " + io.root() + ": cannot read the consolidated "
                    + "index: " + e.getMessage(), e);
        }
        DuckDBConnection connection;
        PointSchema schema;
        try {
            connection = DuckDb.open(index, true);
        } catch (SQLException e) {
            throw new StorageException("Cannot open the consolidated index " + index + ": it is unreadable or "
                    + "corrupt: " + e.getMessage(), e);
        }
        LabelDirectory directory;
        try {
            schema = readMeta(connection, index);
            directory = LabelDirectory.open(index, connection);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("Cannot open the consolidated index " + index + ": it is not a valid "
                    + "index: " + e.getMessage(), e);
        }
        PointSchema effective = schema != null ? schema : storeSchema;
        Cache<Long, PointCloud> cache = settings.cacheBytes() == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(settings.cacheBytes())
                .weigher((Long label, PointCloud points) -> (int) Math.min(Integer.MAX_VALUE,
                        64L + (long) points.valueCount() * Long.BYTES))
                .build();
        PointReader reader = effective == null ? null : new PointReader(io, effective,
                Runtime.getRuntime().availableProcessors());
        return new ParquetDuckdbQuery(index, connection, effective, reader, cache, directory);
    }

    private static PointSchema readMeta(DuckDBConnection connection, Path index) throws SQLException {
        String version = null;
        String schema = null;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "format_version" -> version = rs.getString(2);
                    case "point_schema" -> schema = rs.getString(2);
                    default -> {
                    }
                }
            }
        }
        if (!Integer.toString(Manifest.FORMAT_VERSION).equals(version)) {
            throw new StorageException("Cannot open the consolidated index " + index + ": it has format version '"
                    + version + "', this library reads " + Manifest.FORMAT_VERSION);
        }
        return schema == null || schema.isEmpty() ? null : PointSchema.parse(schema);
    }

    /** One connection with its prepared lookups; used by one thread at a time. */
    private static final class Session {
        final DuckDBConnection connection;
        final PreparedStatement pointCount;
        final PreparedStatement blocks;
        final PreparedStatement rows;

        Session(DuckDBConnection connection) throws SQLException {
            this.connection = connection;
            try {
                this.pointCount = connection.prepareStatement(SQL_POINT_COUNT);
                this.blocks = connection.prepareStatement(SQL_BLOCKS);
                this.rows = connection.prepareStatement(SQL_ROWS);
            } catch (SQLException e) {
                closeQuietly(connection);
                throw e;
            }
        }
    }

    private Session borrow() throws SQLException {
        Session session = pool.poll();
        return session != null ? session : new Session(base.duplicate());
    }

    /** Returns a session to the pool; after a failure its statements may be closed, so drop it. */
    private void giveBack(Session session, boolean ok) {
        if (closed || !ok) {
            closeQuietly(session.connection);
        } else {
            pool.offer(session);
        }
    }

    /** Work on one pooled session. */
    @FunctionalInterface
    private interface SessionWork<T> {
        T run(Session session) throws SQLException;
    }

    /**
     * Runs index work on a pooled session.
     *
     * @param what what the caller does, for the error message ("count points of label 5")
     * @param sql the statement, for the error message
     * @throws StorageException if DuckDB fails, naming the index file and the statement
     */
    private <T> T onSession(String what, String sql, SessionWork<T> work) {
        try {
            Session session = borrow();
            boolean ok = false;
            try {
                T result = work.run(session);
                ok = true;
                return result;
            } finally {
                giveBack(session, ok);
            }
        } catch (SQLException e) {
            throw new StorageException("Cannot " + what + ": the index " + indexFile + " failed on '" + sql + "': "
                    + e.getMessage(), e);
        }
    }

    /** Runs a prepared lookup by label and hands each result row to {@code row}. */
    private void byLabel(String what, String sql, long label, java.util.function.Function<Session, PreparedStatement>
            statement, SqlRow row) {
        onSession(what + " of label " + Labels.format(label), sql, session -> {
            PreparedStatement prepared = statement.apply(session);
            prepared.setString(1, Labels.format(label));
            try (ResultSet rs = prepared.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
            return null;
        });
    }

    /** Consumes one result row. */
    @FunctionalInterface
    private interface SqlRow {
        void accept(ResultSet row) throws SQLException;
    }

    @Override
    public LabelSummaries labelSummaries() {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "labelSummaries").sql(SQL_LABEL_SUMMARIES);
        DuckDBConnection connection = null;
        Statement statement = null;
        try {
            connection = base.duplicate();
            statement = connection.createStatement();
            // DuckDB's JDBC driver streams results by default: memory holds one vector of rows.
            ResultSet rs = statement.executeQuery(SQL_LABEL_SUMMARIES);
            timing.indexLookupDone();
            return new Summaries(connection, statement, rs, timing);
        } catch (SQLException e) {
            closeQuietly(statement);
            closeQuietly(connection);
            throw new StorageException("Cannot stream label summaries: the index " + indexFile + " failed on '"
                    + SQL_LABEL_SUMMARIES + "': " + e.getMessage(), e);
        }
    }

    @Override
    public long labelCount() {
        return onSession("count labels", SQL_LABEL_COUNT, session -> {
            try (Statement statement = session.connection.createStatement();
                    ResultSet rs = statement.executeQuery(SQL_LABEL_COUNT)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Streams label_summary rows from a connection of its own, checking their unsigned order. */
    private final class Summaries implements LabelSummaries {
        private final DuckDBConnection connection;
        private final Statement statement;
        private final ResultSet rows;
        private final QueryTiming.Recorder timing;
        private LabelSummary next;
        private boolean any;
        private long previous;
        private boolean closed;

        Summaries(DuckDBConnection connection, Statement statement, ResultSet rows, QueryTiming.Recorder timing) {
            this.connection = connection;
            this.statement = statement;
            this.rows = rows;
            this.timing = timing;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (closed) {
                return false;
            }
            try {
                timing.skip();
                if (!rows.next()) {
                    timing.indexLookupDone();
                    close();
                    return false;
                }
                long label = rows.getLong(1);
                if (any && Long.compareUnsigned(label, previous) <= 0) {
                    throw new StorageException("Cannot stream label summaries: the index " + indexFile
                            + " lists label " + Labels.format(label) + " after " + Labels.format(previous)
                            + "; its label_summary table must be sorted by label (rebuild it with consolidate)");
                }
                any = true;
                previous = label;
                next = new LabelSummary(label, rows.getLong(2), Math.toIntExact(rows.getLong(3)));
                timing.indexLookupDone().rows(1);
                return true;
            } catch (SQLException e) {
                close();
                throw new StorageException("Cannot stream label summaries: the index " + indexFile + " failed on '"
                        + SQL_LABEL_SUMMARIES + "': " + e.getMessage(), e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public LabelSummary next() {
            if (!hasNext()) {
                throw new NoSuchElementException("No more label summaries");
            }
            LabelSummary result = next;
            next = null;
            return result;
        }

        @Override
        public QueryTiming timing() {
            return timing.finish(0);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                next = null;
                closeQuietly(rows);
                closeQuietly(statement);
                closeQuietly(connection);
            }
        }
    }

    @Override
    public Timed<Long> pointCount(long label) {
        if (directory != null) {
            QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount");
            long count = directory.pointCount(label);
            timing.indexLookupDone().rows(count > 0 ? 1 : 0);
            return new Timed<>(count, timing.finish(0));
        }
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount").sql(SQL_POINT_COUNT);
        long[] count = new long[1];
        byLabel("count points", SQL_POINT_COUNT, label, s -> s.pointCount, rs -> {
            count[0] = rs.getLong(1);
            timing.rows(1);
        });
        timing.indexLookupDone();
        return new Timed<>(count[0], timing.finish(0));
    }

    @Override
    public Timed<List<String>> blocks(long label) {
        if (directory != null) {
            QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks");
            List<String> blocks = directory.blocks(label);
            timing.indexLookupDone().rows(blocks.size());
            return new Timed<>(blocks, timing.finish(0));
        }
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks").sql(SQL_BLOCKS);
        TreeSet<String> blocks = new TreeSet<>();
        byLabel("list blocks", SQL_BLOCKS, label, s -> s.blocks, rs -> blocks.add(rs.getString(1)));
        timing.indexLookupDone().rows(blocks.size());
        return new Timed<>(List.copyOf(blocks), timing.finish(0));
    }

    /** @return the label's index rows: runs of rows in data files */
    List<IndexEntry> rowsOf(long label, QueryTiming.Recorder timing) {
        if (directory != null) {
            List<IndexEntry> entries = directory.entries(label);
            timing.indexLookupDone();
            return entries;
        }
        timing.sql(SQL_ROWS);
        List<IndexEntry> entries = new ArrayList<>();
        byLabel("find the rows", SQL_ROWS, label, s -> s.rows,
                rs -> entries.add(new IndexEntry(label, rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getLong(4))));
        timing.indexLookupDone();
        return entries;
    }

    @Override
    public Timed<PointCloud> points(long label, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        if (cache != null) {
            PointCloud cached = cache.getIfPresent(label);
            if (cached != null) {
                // Served from memory: rows and bytes are the cached cloud's, as the memory backend
                // counts them (QueryTiming: "or the in-memory size"); cacheHit marks it.
                timing.indexLookupDone().cacheHit(true).rows(cached.size())
                        .bytes((long) cached.valueCount() * Long.BYTES);
                return new Timed<>(cached, timing.finish(cached.size()));
            }
        }
        List<IndexEntry> entries = rowsOf(label, timing);
        if (entries.isEmpty() || schema == null) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        PointCloud points = readAll(label, entries, timing);
        if (cache != null) {
            cache.put(label, points);
        }
        return new Timed<>(points, timing.finish(points.size()));
    }

    @Override
    public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        List<IndexEntry> entries = new ArrayList<>();
        for (IndexEntry e : rowsOf(label, timing)) {
            if (blockIds.contains(e.blockId())) {
                entries.add(e);
            }
        }
        if (entries.isEmpty() || schema == null) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        PointCloud points = readAll(label, entries, timing);
        return new Timed<>(points, timing.finish(points.size()));
    }

    /** Reads the given row runs of a label into one cloud. */
    private PointCloud readAll(long label, List<IndexEntry> entries, QueryTiming.Recorder timing) {
        int dims = schema.dimensions();
        long total = 0;
        for (IndexEntry e : entries) {
            total += e.pointCount();
        }
        if (total * dims > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read points of label " + Labels.format(label)
                    + " into one array: it has " + total + " points x " + dims + " dimensions; use "
                    + "Query.streamPoints or Query.streamBlocks");
        }
        long[] values = new long[(int) (total * dims)];
        reader.read(label, entries, values, 0, timing);
        return PointCloud.wrap(values, dims);
    }

    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        List<IndexEntry> entries = rowsOf(label, timing);
        return new Chunks(label, schema == null ? List.of() : entries, maxChunkPoints, timing);
    }

    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        List<IndexEntry> entries = schema == null ? new ArrayList<>() : rowsOf(label, timing);
        // Stable: within a block the index order (worker, file, row) is kept. DuckDB orders
        // VARCHAR by UTF-8 bytes; the API's block order is String.compareTo, so sort here.
        entries.sort(Comparator.comparing(IndexEntry::blockId));
        return new BlockRuns(label, entries, maxChunkPoints, timing);
    }

    @Override
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(schema);
    }

    @Override
    public StoreStats stats() {
        return onSession("read totals", SQL_STATS, session -> {
            try (Statement statement = session.connection.createStatement();
                    ResultSet rs = statement.executeQuery(SQL_STATS)) {
                rs.next();
                long indexBytes;
                try {
                    indexBytes = Files.size(indexFile);
                } catch (IOException e) {
                    throw new StorageException("Cannot read totals: cannot read the size of " + indexFile + ": "
                            + e, e);
                }
                return new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4) + 1,
                        rs.getLong(5) + indexBytes);
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Session session;
        while ((session = pool.poll()) != null) {
            closeQuietly(session.connection);
        }
        closeQuietly(base);
        if (reader != null) {
            reader.close();
        }
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // Releasing a read-only connection, statement or result set: nothing can be lost.
        }
    }

    /**
     * Walks a label's row runs and reads them up to maxChunkPoints points at a time, splitting a
     * run where a chunk fills up; with {@code oneBlock} a chunk also ends where the block id
     * changes (the runs are then sorted by block). Base of {@link Chunks} and {@link BlockRuns}.
     */
    private abstract class RunCursor {
        private final long label;
        private final List<IndexEntry> entries;
        private final int maxChunkPoints;
        private final QueryTiming.Recorder timing;
        private int entry;
        private long offsetInEntry;
        private long returned;
        private boolean done;

        RunCursor(long label, List<IndexEntry> entries, int maxChunkPoints, QueryTiming.Recorder timing) {
            this.label = label;
            this.entries = entries;
            this.maxChunkPoints = maxChunkPoints;
            this.timing = timing;
        }

        public boolean hasNext() {
            return !done && entry < entries.size();
        }

        BlockPoints take(boolean oneBlock) {
            if (!hasNext()) {
                throw new NoSuchElementException("No more chunks of label " + Labels.format(label));
            }
            timing.skip();
            String block = entries.get(entry).blockId();
            List<IndexEntry> parts = new ArrayList<>();
            long take = 0;
            while (entry < entries.size() && take < maxChunkPoints
                    && (!oneBlock || entries.get(entry).blockId().equals(block))) {
                IndexEntry e = entries.get(entry);
                long n = Math.min(maxChunkPoints - take, e.pointCount() - offsetInEntry);
                parts.add(new IndexEntry(label, e.blockId(), e.file(), e.rowStart() + offsetInEntry, n));
                take += n;
                offsetInEntry += n;
                if (offsetInEntry == e.pointCount()) {
                    entry++;
                    offsetInEntry = 0;
                }
            }
            int dims = schema.dimensions();
            long[] values = new long[Math.toIntExact(take * dims)];
            reader.read(label, parts, values, 0, timing);
            returned += take;
            return new BlockPoints(block, PointCloud.wrap(values, dims));
        }

        public QueryTiming timing() {
            return timing.finish(returned);
        }

        public void close() {
            done = true;
        }
    }

    /** A label's points in chunks that may span blocks. */
    private final class Chunks extends RunCursor implements PointChunks {
        Chunks(long label, List<IndexEntry> entries, int maxChunkPoints, QueryTiming.Recorder timing) {
            super(label, entries, maxChunkPoints, timing);
        }

        @Override
        public PointCloud next() {
            return take(false).points();
        }
    }

    /** A label's points block by block; the runs are sorted by block id. */
    private final class BlockRuns extends RunCursor implements BlockChunks {
        BlockRuns(long label, List<IndexEntry> entries, int maxChunkPoints, QueryTiming.Recorder timing) {
            super(label, entries, maxChunkPoints, timing);
        }

        @Override
        public BlockPoints next() {
            return take(true);
        }
    }

    /** The view of a store never consolidated: every answer empty. */
    private static final class EmptyQuery implements BackendQuery {
        private final PointSchema schema;

        EmptyQuery(PointSchema schema) {
            this.schema = schema;
        }

        @Override
        public LabelSummaries labelSummaries() {
            return new NoSummaries("labelSummaries");
        }

        @Override
        public long labelCount() {
            return 0;
        }

        @Override
        public Timed<Long> pointCount(long label) {
            return new Timed<>(0L, QueryTiming.start(BACKEND, "pointCount").finish(0));
        }

        @Override
        public Timed<List<String>> blocks(long label) {
            return new Timed<>(List.of(), QueryTiming.start(BACKEND, "blocks").finish(0));
        }

        @Override
        public Timed<PointCloud> points(long label, int emptyDimensions) {
            return new Timed<>(PointCloud.empty(emptyDimensions), QueryTiming.start(BACKEND, "points").finish(0));
        }

        @Override
        public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
            return new Timed<>(PointCloud.empty(emptyDimensions), QueryTiming.start(BACKEND, "points").finish(0));
        }

        @Override
        public BlockChunks streamBlocks(long label, int maxChunkPoints) {
            return new NoBlocks("streamBlocks");
        }

        @Override
        public PointChunks streamPoints(long label, int maxChunkPoints) {
            return new NoPoints("streamPoints");
        }

        @Override
        public Optional<PointSchema> schema() {
            return Optional.ofNullable(schema);
        }

        @Override
        public StoreStats stats() {
            return new StoreStats(0, 0, 0, 0, 0);
        }

        @Override
        public void close() {
        }
    }

    /** A stream of a store never consolidated: nothing, with its (empty) timing. */
    private abstract static class Nothing<T> implements java.util.Iterator<T> {
        private final QueryTiming.Recorder timing;

        Nothing(String operation) {
            this.timing = QueryTiming.start(BACKEND, operation);
        }

        public QueryTiming timing() {
            return timing.finish(0);
        }

        public void close() {
        }

        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public T next() {
            throw new NoSuchElementException("Nothing to stream: the store was never consolidated");
        }
    }

    private static final class NoSummaries extends Nothing<LabelSummary> implements LabelSummaries {
        NoSummaries(String operation) {
            super(operation);
        }
    }

    private static final class NoBlocks extends Nothing<BlockPoints> implements BlockChunks {
        NoBlocks(String operation) {
            super(operation);
        }
    }

    private static final class NoPoints extends Nothing<PointCloud> implements PointChunks {
        NoPoints(String operation) {
            super(operation);
        }
    }
}
