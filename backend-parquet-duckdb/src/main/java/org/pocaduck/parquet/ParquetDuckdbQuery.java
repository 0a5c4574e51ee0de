package org.pocaduck.parquet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pocaduck.BlockChunks;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelSelection;
import org.pocaduck.LabelSummaries;
import org.pocaduck.PointChunks;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.parquet.index.ConsolidatedIndex;
import org.pocaduck.parquet.index.IndexEntry;
import org.pocaduck.parquet.index.LabelIndex;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.read.PointReader;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.FilteredPoints;
import org.pocaduck.support.ChunkCursor;
import org.pocaduck.support.Closeables;
import org.pocaduck.support.EmptyStreams;
import org.pocaduck.support.OneArray;

/**
 * A read-only view of the consolidated index current when it was opened: lookups through its
 * {@link LabelIndex} (the label directory, or SQL), whole-index reads through its DuckDB file
 * ({@link ConsolidatedIndex}), points from the Parquet files with {@link PointReader}. Recently
 * read labels are kept in a {@link PointCache} unless {@code cache_bytes} is 0. A large label is
 * read in pieces at once, on the calling thread and a pool of one thread per further processor
 * (idle threads end after 30 seconds; {@link #close} stops them). Thread-safe.
 *
 * <p>Timing: index lookup is the label lookup (a binary search of the directory, or the DuckDB
 * query); data read is opening files, reading footers and the pages of the label's rows (bytes
 * as stored); decode is decompressing and decoding the pages' values. A cache hit charges the
 * cache lookup to the index lookup and reports the cached cloud's in-memory rows and bytes.
 */
final class ParquetDuckdbQuery implements BackendQuery {
    private static final String BACKEND = ParquetDuckdbBackendFactory.STORAGE_TYPE;

    private final ConsolidatedIndex index;
    private final LabelIndex lookups;
    private final PointSchema schema;
    private final PointReader reader;
    /** Null where {@code cache_bytes} is 0. */
    private final PointCache cache;

    private ParquetDuckdbQuery(ConsolidatedIndex index, PointSchema schema, PointReader reader, PointCache cache) {
        this.index = index;
        this.lookups = index.lookups();
        this.schema = schema;
        this.reader = reader;
        this.cache = cache;
    }

    /**
     * Opens a view of the index {@code index/CURRENT} names now.
     *
     * @param storeSchema the store's schema, for a store whose index records none
     * @throws StorageException if the index cannot be opened
     */
    static BackendQuery open(StoreIO io, Settings settings, PointSchema storeSchema) {
        Optional<ConsolidatedIndex> opened = ConsolidatedIndex.open(io);
        if (opened.isEmpty()) {
            return new NeverConsolidated(storeSchema);
        }
        ConsolidatedIndex index = opened.get();
        PointSchema schema = index.schema().orElse(storeSchema);
        PointReader reader = schema == null ? null : new PointReader(io, schema,
                Runtime.getRuntime().availableProcessors(), BACKEND);
        return new ParquetDuckdbQuery(index, schema, reader,
                settings.cacheBytes() == 0 ? null : new PointCache(settings.cacheBytes()));
    }

    @Override
    public LabelSummaries labelSummaries() {
        return index.labelSummaries(BACKEND);
    }

    @Override
    public long labelCount() {
        return index.labelCount();
    }

    @Override
    public Timed<Long> pointCount(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "pointCount");
        long count = lookups.pointCount(label, timing);
        return new Timed<>(count, timing.finish(0));
    }

    @Override
    public Timed<List<String>> blocks(long label) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "blocks");
        List<String> blocks = lookups.blocks(label, timing);
        return new Timed<>(blocks, timing.finish(0));
    }

    @Override
    public Timed<PointCloud> points(long label, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        PointCloud cached = cached(label, timing);
        if (cached != null) {
            return new Timed<>(cached, timing.finish(cached.size()));
        }
        List<IndexEntry> entries = lookups.entries(label, timing);
        if (entries.isEmpty() || schema == null) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        PointCloud points = readAll(label, entries, timing);
        if (cache != null) {
            cache.put(label, points);
        }
        return new Timed<>(points, timing.finish(points.size()));
    }

    /**
     * A label's cloud from the point cache, its lookup charged to the index lookup with the cached
     * cloud's in-memory rows and bytes (as the memory backend counts them; QueryTiming: "or the
     * in-memory size") and {@code cacheHit}; null where the cache is off or misses.
     */
    private PointCloud cached(long label, QueryTiming.Recorder timing) {
        PointCloud cached = cache == null ? null : cache.get(label);
        if (cached != null) {
            timing.indexLookupDone().cacheHit(true).rows(cached.size()).bytes((long) cached.valueCount() * Long.BYTES);
        }
        return cached;
    }

    /** A label the point cache holds is filtered there, without reading; else the SPI's bounded default. */
    @Override
    public Timed<PointCloud> points(long label, PointFilter filter, int emptyDimensions) {
        if (filter.blocks().isEmpty()) {
            QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
            PointCloud cached = cached(label, timing);
            if (cached != null) {
                PointCloud kept = filter.apply(cached);
                timing.decodeDone();
                return new Timed<>(kept, timing.finish(kept.size()));
            }
        }
        return FilteredPoints.read(this, label, filter, emptyDimensions);
    }

    @Override
    public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "points");
        List<IndexEntry> entries = lookups.entries(label, timing);
        entries.removeIf(e -> !blockIds.contains(e.blockId()));
        if (entries.isEmpty() || schema == null) {
            return new Timed<>(PointCloud.empty(emptyDimensions), timing.finish(0));
        }
        PointCloud points = readAll(label, entries, timing);
        return new Timed<>(points, timing.finish(points.size()));
    }

    /** Reads the given row runs of a label into one cloud. */
    private PointCloud readAll(long label, List<IndexEntry> entries, QueryTiming.Recorder timing) {
        long total = 0;
        for (IndexEntry e : entries) {
            total += e.pointCount();
        }
        long[] values = new long[OneArray.valueCount(label, total, schema.dimensions())];
        reader.read(label, entries, values, 0, timing);
        return PointCloud.wrap(values, schema.dimensions());
    }

    @Override
    public PointChunks streamPoints(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamPoints");
        List<IndexEntry> entries = lookups.entries(label, timing);
        return ChunkCursor.pointChunks(new RunCursor((schema == null ? List.<IndexEntry>of() : entries).iterator(),
                null, maxChunkPoints, false, timing));
    }

    @Override
    public BlockChunks streamBlocks(long label, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamBlocks");
        List<IndexEntry> entries = schema == null ? new ArrayList<>() : lookups.entries(label, timing);
        // Stable: within a block the index order (worker, file, row) is kept. DuckDB orders
        // VARCHAR by UTF-8 bytes; the API's block order is String.compareTo, so sort here.
        entries.sort(Comparator.comparing(IndexEntry::blockId));
        return ChunkCursor.blockChunks(new RunCursor(entries.iterator(), null, maxChunkPoints, true, timing));
    }

    /**
     * Walks the selected labels through the label index (the directory from the range's first
     * label, or SQL), each label's runs sorted by block id, and reads each chunk's rows with one
     * read: label-sorted files make the rows of consecutive labels neighbours.
     */
    @Override
    public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
        QueryTiming.Recorder timing = QueryTiming.start(BACKEND, "streamLabels");
        if (schema == null) {
            return ChunkCursor.labelChunks(new RunCursor(java.util.Collections.emptyIterator(), null, maxChunkPoints,
                    true, timing));
        }
        LabelIndex.Runs runs = lookups.runs(selection, timing);
        Iterator<IndexEntry> entries = new Iterator<>() {
            private Iterator<IndexEntry> label = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!label.hasNext() && runs.hasNext()) {
                    List<IndexEntry> next = runs.next();
                    next.sort(Comparator.comparing(IndexEntry::blockId));
                    label = next.iterator();
                }
                return label.hasNext();
            }

            @Override
            public IndexEntry next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("No more index entries");
                }
                return label.next();
            }
        };
        return ChunkCursor.labelChunks(new RunCursor(entries, runs, maxChunkPoints, true, timing));
    }

    /**
     * Reads row runs chunk by chunk, consecutive chunks that fit in one chunk's points with one
     * read of their slices' rows: each data file opened once and each page decompressed once for
     * them, where one read per chunk reread a page for every (label, block) run in it.
     */
    private final class RunCursor extends ChunkCursor<IndexEntry> {
        private final Iterator<IndexEntry> entries;
        /** What the entries come from, closed with the cursor; null if nothing. */
        private final AutoCloseable source;

        RunCursor(Iterator<IndexEntry> entries, AutoCloseable source, int maxChunkPoints, boolean oneBlock,
                QueryTiming.Recorder timing) {
            super(timing, maxChunkPoints, oneBlock, true);
            this.entries = entries;
            this.source = source;
        }

        @Override
        protected IndexEntry nextRun() {
            return entries.hasNext() ? entries.next() : null;
        }

        @Override
        protected long label(IndexEntry entry) {
            return entry.label();
        }

        @Override
        protected String blockId(IndexEntry entry) {
            return entry.blockId();
        }

        @Override
        protected long pointCount(IndexEntry entry) {
            return entry.pointCount();
        }

        @Override
        protected PointCloud read(List<Slice<IndexEntry>> slices, int points) {
            List<IndexEntry> parts = new ArrayList<>(slices.size());
            for (Slice<IndexEntry> slice : slices) {
                IndexEntry e = slice.run();
                parts.add(new IndexEntry(e.label(), e.blockId(), e.file(), e.rowStart() + slice.from(), slice.size()));
            }
            long[] values = new long[points * schema.dimensions()];
            reader.readInOrder(parts.getFirst().label(), parts, values, 0, timing);
            return PointCloud.wrap(values, schema.dimensions());
        }

        @Override
        protected void release() {
            Closeables.closeQuietly(source);
        }

        @Override
        protected RuntimeException failure(Exception e) {
            return new StorageException("Cannot read points: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(schema);
    }

    @Override
    public StoreStats stats() {
        return index.stats();
    }

    @Override
    public void close() {
        index.close();
        if (reader != null) {
            reader.close();
        }
        if (cache != null) {
            cache.clear();
        }
    }

    /** The view of a store never consolidated: every answer empty. */
    private static final class NeverConsolidated implements BackendQuery {
        private final PointSchema schema;

        NeverConsolidated(PointSchema schema) {
            this.schema = schema;
        }

        @Override
        public LabelSummaries labelSummaries() {
            return EmptyStreams.labelSummaries(BACKEND);
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
            return EmptyStreams.blockChunks(BACKEND);
        }

        @Override
        public PointChunks streamPoints(long label, int maxChunkPoints) {
            return EmptyStreams.pointChunks(BACKEND);
        }

        @Override
        public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
            return EmptyStreams.labelChunks(BACKEND);
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
}
