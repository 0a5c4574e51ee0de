package org.pocaduck.parquet.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.pocaduck.Labels;
import org.pocaduck.PointSchema;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageException;
import org.pocaduck.parquet.format.PointFileFormat;
import org.pocaduck.parquet.format.ZstdCodecs;
import org.pocaduck.parquet.index.IndexEntry;
import org.pocaduck.parquet.io.StoreIO;

/**
 * Reads row ranges of data files with parquet-java: for each row group holding a range it reads
 * only the pages of the dimension columns that overlap the range (the offset index), decompresses
 * them and decodes the INT64 values straight into a row-major array. Footers are cached. A
 * large read is cut into pieces read at once (see {@link #read}).
 * Thread-safe; {@link #close} stops its threads.
 */
public final class PointReader {
    private final StoreIO files;
    private final PointSchema schema;
    private final MessageType projection;
    private final List<ColumnDescriptor> columns;
    private final ParquetReadOptions options;
    private final Cache<String, ParquetMetadata> footers = Caffeine.newBuilder().maximumSize(4096).build();
    /** Per data file, its page reader (files whose layout it cannot read are absent). */
    private final Cache<String, DirectColumnReader> direct = Caffeine.newBuilder().maximumSize(4096).build();
    /** The page locations and dictionaries the page readers loaded, bounded in bytes. */
    private final Cache<DirectColumnReader.ChunkKey, DirectColumnReader.Chunk> chunks = Caffeine.newBuilder()
            .maximumWeight(DirectColumnReader.CHUNK_CACHE_BYTES)
            .weigher((DirectColumnReader.ChunkKey key, DirectColumnReader.Chunk chunk) -> chunk.weight())
            .build();

    /** A read is cut into pieces of at least this many points to be read at once. */
    static final long MIN_PIECE_POINTS = 1 << 17;

    /** The storage type the timings of pieces name. */
    private final String backend;
    /** Pieces read at once: the calling thread and a pool of parallelism - 1 threads. */
    private final int parallelism;
    private ThreadPoolExecutor pool;
    private boolean closed;

    /**
     * @param parallelism how many pieces of a large read are read at once (1: only by the
     *     calling thread)
     * @param backend the storage type the timings name
     */
    public PointReader(StoreIO files, PointSchema schema, int parallelism, String backend) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.parallelism = parallelism;
        this.backend = backend;
        this.files = files;
        this.schema = schema;
        this.projection = PointFileFormat.dimensionsOnly(schema);
        this.columns = projection.getColumns();
        this.options = ParquetReadOptions.builder(new PlainParquetConfiguration()).useColumnIndexFilter(true)
                .withCodecFactory(ZstdCodecs.forReading()).build();
    }

    /**
     * One data file's row runs, sorted by first row: read in this order, each run's points into
     * the result from the point its destination names.
     *
     * @param destinations per run, the result's point its first point goes to
     */
    private record FileRuns(String file, List<IndexEntry> runs, long[] destinations) {
    }

    /** The order {@link #read} reads ranges in: by data file name, then by first row. */
    private static final Comparator<IndexEntry> READ_ORDER = Comparator.comparing(IndexEntry::file)
            .thenComparingLong(IndexEntry::rowStart);

    /**
     * Reads the given ranges into {@code out} starting at point {@code firstPoint}, each range's
     * points where the ranges before it in the list end: the ranges of many labels and blocks
     * read at once (each file opened once, each page decompressed once) come back in the order
     * asked for, each decoded straight into its place.
     *
     * @return the points read
     * @throws StorageException if a data file is missing, truncated or corrupt
     */
    public long readInOrder(long label, List<IndexEntry> ranges, long[] out, int firstPoint,
            QueryTiming.Recorder timing) {
        long[] destinations = new long[ranges.size()];
        long point = firstPoint;
        for (int i = 0; i < ranges.size(); i++) {
            destinations[i] = point;
            point += ranges.get(i).pointCount();
        }
        return read(label, ranges, readOrder(ranges), destinations, out, timing);
    }

    /**
     * Reads the given ranges into {@code out} starting at point {@code firstPoint}, in file and
     * row order. A read of at least twice {@link #MIN_PIECE_POINTS} points is cut into pieces
     * at point boundaries, at most the reader's parallelism and none under
     * {@link #MIN_PIECE_POINTS} points, read at once by the calling thread and the reader's
     * pool; the result is the same as read in one piece.
     *
     * @return the points read
     * @throws StorageException if a data file is missing, truncated or corrupt
     */
    public long read(long label, List<IndexEntry> ranges, long[] out, int firstPoint, QueryTiming.Recorder timing) {
        Integer[] order = readOrder(ranges);
        long[] destinations = new long[ranges.size()];
        long point = firstPoint;
        for (int i : order) {
            destinations[i] = point;
            point += ranges.get(i).pointCount();
        }
        return read(label, ranges, order, destinations, out, timing);
    }

    /** @return the ranges' indexes in {@link #READ_ORDER} (a stable sort) */
    private static Integer[] readOrder(List<IndexEntry> ranges) {
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> READ_ORDER.compare(ranges.get(x), ranges.get(y)));
        return order;
    }

    /**
     * Reads each range into {@code out} from the point its destination names, file by file in
     * {@code order}, each file's ranges in row order; large reads in pieces (see {@link #read}).
     */
    private long read(long label, List<IndexEntry> ranges, Integer[] order, long[] destinations, long[] out,
            QueryTiming.Recorder timing) {
        long total = 0;
        List<FileRuns> plan = new ArrayList<>();
        for (int i = 0; i < order.length; ) {
            String file = ranges.get(order[i]).file();
            int end = i;
            while (end < order.length && ranges.get(order[end]).file().equals(file)) {
                end++;
            }
            List<IndexEntry> runs = new ArrayList<>(end - i);
            long[] starts = new long[end - i];
            for (int k = i; k < end; k++) {
                runs.add(ranges.get(order[k]));
                starts[k - i] = destinations[order[k]];
                total += ranges.get(order[k]).pointCount();
            }
            plan.add(new FileRuns(file, runs, starts));
            i = end;
        }
        int pieces = (int) Math.min(parallelism, total / MIN_PIECE_POINTS);
        if (pieces <= 1) {
            long read = 0;
            for (FileRuns file : plan) {
                read += readFile(label, file, out, timing);
                timing.files(1);
            }
            return read;
        }
        return readInPieces(label, plan, total, pieces, out, timing);
    }

    /**
     * Cuts the plan into pieces of about equal points (a run may be cut in two) and reads them
     * at once, the calling thread taking pieces too, so a busy pool only slows the read down.
     * The phases recorded are the pieces' summed phases scaled to the wall-clock time of the
     * whole read; files touched count each file once.
     */
    private long readInPieces(long label, List<FileRuns> plan, long total, int pieces, long[] out,
            QueryTiming.Recorder timing) {
        long perPiece = (total + pieces - 1) / pieces;
        List<List<FileRuns>> parts = new ArrayList<>();
        List<FileRuns> part = new ArrayList<>();
        long inPart = 0;
        long taken = 0;
        for (FileRuns file : plan) {
            List<IndexEntry> runs = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int r = 0; r < file.runs().size(); r++) {
                IndexEntry e = file.runs().get(r);
                long done = 0;
                while (done < e.pointCount()) {
                    long n = Math.min(e.pointCount() - done, perPiece - inPart);
                    runs.add(new IndexEntry(e.label(), e.blockId(), e.file(), e.rowStart() + done, n));
                    starts.add(file.destinations()[r] + done);
                    done += n;
                    inPart += n;
                    taken += n;
                    if (inPart == perPiece && taken < total) {
                        part.add(fileRuns(file.file(), runs, starts));
                        parts.add(part);
                        part = new ArrayList<>();
                        runs = new ArrayList<>();
                        starts = new ArrayList<>();
                        inPart = 0;
                    }
                }
            }
            if (!runs.isEmpty()) {
                part.add(fileRuns(file.file(), runs, starts));
            }
        }
        parts.add(part);
        int count = parts.size();
        QueryTiming[] timings = new QueryTiming[count];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable reading = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        QueryTiming.Recorder pieceTiming = QueryTiming.start(backend, "points");
                        long read = 0;
                        for (FileRuns file : parts.get(i)) {
                            read += readFile(label, file, out, pieceTiming);
                        }
                        timings[i] = pieceTiming.finish(read);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        timing.skip();
        long started = System.nanoTime();
        ExecutorService helpers = pool();
        for (int h = 1; h < count && helpers != null; h++) {
            try {
                helpers.execute(reading);
            } catch (RejectedExecutionException e) {
                break; // the reader is closing: the calling thread reads the rest
            }
        }
        reading.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the pieces write into out: wait for them before returning
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        } else if (failed instanceof Error e) {
            throw e;
        }
        long wall = System.nanoTime() - started;
        timing.skip();
        // The pieces' phases and counts summed (QueryTiming's own sum), their phases then scaled to the wall time.
        QueryTiming.Recorder summed = QueryTiming.start(backend, "points");
        long read = 0;
        for (QueryTiming t : timings) {
            summed.add(t);
            read += t.pointsReturned();
        }
        QueryTiming sum = summed.finish(read);
        long dataRead = sum.dataRead().toNanos();
        long busy = dataRead + sum.decode().toNanos();
        long dataReadShare = busy == 0 ? 0 : (long) ((double) wall * dataRead / busy);
        timing.add(new QueryTiming(backend, "points", Duration.ofNanos(wall),
                Duration.ZERO, Duration.ofNanos(dataReadShare), Duration.ofNanos(wall - dataReadShare), plan.size(),
                sum.rowsRead(), sum.bytesRead(), sum.readRequests(), read, false, List.of()));
        return read;
    }

    private static FileRuns fileRuns(String file, List<IndexEntry> runs, List<Long> starts) {
        return new FileRuns(file, runs, starts.stream().mapToLong(Long::longValue).toArray());
    }

    /** @return the pool reading pieces beside the calling thread, or null once closed */
    private synchronized ExecutorService pool() {
        if (pool == null && !closed) {
            AtomicInteger threads = new AtomicInteger();
            pool = new ThreadPoolExecutor(parallelism - 1, parallelism - 1, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(() -> {
                            try {
                                task.run();
                            } finally {
                                DirectColumnReader.Scratch.release();
                            }
                        }, "pocaduck-read-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
        }
        return closed ? null : pool;
    }

    /**
     * Stops the pool's threads once their pieces are read (idle threads also end after 30
     * seconds); later large reads are read by the calling thread alone.
     */
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdown();
        }
    }

    /**
     * Reads one data file's runs into {@code out}, each from the point its destination names.
     *
     * @return the points read
     */
    private long readFile(long label, FileRuns file, long[] out, QueryTiming.Recorder timing) {
        String name = file.file();
        try {
            ParquetMetadata footer = footers.getIfPresent(name);
            long read;
            CountingInputFile input;
            try (StoreInputFile opened = new StoreInputFile(files.openReadable(name))) {
                input = new CountingInputFile(opened);
                try (SeekableInputStream stream = input.newStream()) {
                    if (footer == null) {
                        footer = ParquetFileReader.readFooter(input, options, stream);
                        checkSchema(name, footer);
                        footers.put(name, footer);
                    }
                    read = readDirect(label, name, footer, input, stream, file, out, timing);
                    if (read < 0) {
                        read = readWithParquetJava(label, name, footer, input, stream, file, out, timing);
                    }
                }
            }
            timing.bytes(input.bytesRead()).requests(input.readRequests()).dataReadDone();
            return read;
        } catch (NoSuchFileException e) {
            throw new StorageException("Cannot read points of label " + Labels.format(label) + ": data file "
                    + files.describe(name) + " is missing", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("Cannot read points of label " + Labels.format(label) + ": data file "
                    + files.describe(name) + " is truncated or corrupt: " + e, e);
        }
    }

    /**
     * Reads one file's ranges through its cached page locations and dictionaries.
     *
     * @return the points read, or -1 if the file's layout is not one {@link DirectColumnReader} reads
     */
    private long readDirect(long label, String name, ParquetMetadata footer, CountingInputFile input,
            SeekableInputStream stream, FileRuns file, long[] out, QueryTiming.Recorder timing) throws IOException {
        DirectColumnReader columnsOfFile = direct.getIfPresent(name);
        if (columnsOfFile == null) {
            try {
                columnsOfFile = new DirectColumnReader(name, footer, columns, options.getCodecFactory(), chunks);
            } catch (DirectColumnReader.Unsupported e) {
                return -1;
            }
            direct.put(name, columnsOfFile);
        }
        ParquetFileReader[] opened = new ParquetFileReader[1];
        DirectColumnReader.ReaderSource source = () -> {
            if (opened[0] == null) {
                opened[0] = ParquetFileReader.open(input, footer, options, stream);
            }
            return opened[0];
        };
        int dims = schema.dimensions();
        long read = 0;
        DirectColumnReader.Scratch scratch = DirectColumnReader.Scratch.get();
        try {
            List<BlockMetaData> groups = footer.getBlocks();
            long groupStart = 0;
            for (int g = 0; g < groups.size(); g++) {
                long groupEnd = groupStart + groups.get(g).getRowCount();
                LocalRanges local = localRanges(file, groupStart, groupEnd);
                if (local.want() > 0) {
                    for (int d = 0; d < dims; d++) {
                        long decoded = columnsOfFile.read(g, d, local.rows(), local.destinations(), out, dims,
                                source, stream, scratch);
                        checkDecoded(label, name, g, d, decoded, local.want());
                    }
                    read += local.want();
                    timing.rows(local.want()).decodeDone();
                }
                groupStart = groupEnd;
            }
            return read;
        } catch (DirectColumnReader.Unsupported e) {
            direct.invalidate(name);
            return -1;
        } finally {
            if (opened[0] != null) {
                opened[0].close();
            }
        }
    }

    private void checkDecoded(long label, String name, int group, int d, long decoded, long want) {
        if (decoded != want) {
            throw new StorageException("Cannot read points of label " + Labels.format(label) + ": data file "
                    + files.describe(name) + " row group " + group + " column " + columns.get(d).getPath()[0]
                    + " gave " + decoded + " rows where the index names " + want);
        }
    }

    /** Reads one file's ranges with parquet-java's filtered row-group read. */
    private long readWithParquetJava(long label, String name, ParquetMetadata footer, CountingInputFile input,
            SeekableInputStream stream, FileRuns file, long[] out, QueryTiming.Recorder timing) throws IOException {
        int dims = schema.dimensions();
        long read = 0;
        try (ParquetFileReader reader = ParquetFileReader.open(input, footer, options, stream)) {
            reader.setRequestedSchema(projection);
            List<BlockMetaData> groups = footer.getBlocks();
            long groupStart = 0;
            for (int g = 0; g < groups.size(); g++) {
                long groupRows = groups.get(g).getRowCount();
                long groupEnd = groupStart + groupRows;
                LocalRanges local = localRanges(file, groupStart, groupEnd);
                if (local.want() > 0) {
                    RowRanges.Builder selected = RowRanges.builder();
                    long[] rows = local.rows();
                    for (int i = 0; i < rows.length; i += 2) {
                        selected.addSelectedRange(rows[i], rows[i + 1] - 1);
                    }
                    PageReadStore pages = reader.readFilteredRowGroup(g, selected.build());
                    timing.dataReadDone();
                    for (int d = 0; d < dims; d++) {
                        long decoded = decodeColumn(pages.getPageReader(columns.get(d)), columns.get(d),
                                rows, local.destinations(), out, d, dims);
                        checkDecoded(label, name, g, d, decoded, local.want());
                    }
                    read += local.want();
                    timing.rows(local.want()).decodeDone();
                }
                groupStart = groupEnd;
            }
        }
        return read;
    }

    /** @return true if reads of the data file go page by page with cached locations (not through parquet-java) */
    boolean readsDirectly(String name) {
        return direct.getIfPresent(name) != null;
    }

    /**
     * A file's runs within one row group.
     *
     * @param rows sorted [from, to) pairs of row-group-local rows
     * @param destinations per pair, the result's point its first row goes to
     * @param want the rows of all pairs
     */
    private record LocalRanges(long[] rows, long[] destinations, long want) {
    }

    /** @return the parts of a file's runs in the row group [groupStart, groupEnd), sorted by row */
    private static LocalRanges localRanges(FileRuns file, long groupStart, long groupEnd) {
        List<long[]> pairs = new ArrayList<>();
        long want = 0;
        for (int r = 0; r < file.runs().size(); r++) {
            IndexEntry e = file.runs().get(r);
            long from = Math.max(e.rowStart(), groupStart);
            long to = Math.min(e.rowStart() + e.pointCount(), groupEnd);
            if (from < to) {
                pairs.add(new long[] {from - groupStart, to - groupStart, file.destinations()[r] + from - e.rowStart()});
                want += to - from;
            }
        }
        pairs.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] rows = new long[pairs.size() * 2];
        long[] destinations = new long[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            rows[2 * i] = pairs.get(i)[0];
            rows[2 * i + 1] = pairs.get(i)[1];
            destinations[i] = pairs.get(i)[2];
        }
        return new LocalRanges(rows, destinations, want);
    }

    /**
     * Decodes the selected rows of one required INT64 column from the pages the filtered read
     * returned (only pages overlapping the rows): each page's values are read with parquet-java's
     * values reader for its encoding, skipping rows outside the ranges, each range's rows into
     * every {@code stride}-th slot of {@code out} from slot {@code destination * stride + column}.
     *
     * @return the rows decoded
     */
    private static long decodeColumn(PageReader pages, ColumnDescriptor column, long[] ranges, long[] destinations,
            long[] out, int d, int stride) throws IOException {
        long rowsDecoded = 0;
        DictionaryPage dictionaryPage = pages.readDictionaryPage();
        long[] dictionary = null;
        if (dictionaryPage != null) {
            Dictionary decoded = dictionaryPage.getEncoding().initDictionary(column, dictionaryPage);
            dictionary = new long[decoded.getMaxId() + 1];
            for (int i = 0; i < dictionary.length; i++) {
                dictionary[i] = decoded.decodeToLong(i);
            }
        }
        int range = 0;
        long nextRow = 0;
        DataPage page;
        while ((page = pages.readPage()) != null && range * 2 < ranges.length) {
            if (!(page instanceof DataPageV1 v1)) {
                throw new IOException("unexpected data page version in column " + column + ": " + page);
            }
            long first = v1.getFirstRowIndex().orElse(nextRow);
            int count = v1.getValueCount();
            long end = first + count;
            nextRow = end;
            ValuesReader values = v1.getValueEncoding().usesDictionary()
                    ? v1.getValueEncoding().getDictionaryBasedValuesReader(column, ValuesType.VALUES, null)
                    : v1.getValueEncoding().getValuesReader(column, ValuesType.VALUES);
            values.initFromPage(count, v1.getBytes().toInputStream());
            boolean useDictionary = v1.getValueEncoding().usesDictionary();
            if (useDictionary && dictionary == null) {
                throw new IOException("dictionary-encoded page without a dictionary in column " + column);
            }
            int[] cursor = {range};
            rowsDecoded += DirectColumnReader.decodeRanges(new PageValues.PerValue(values,
                    useDictionary ? dictionary : null), first, end, ranges, destinations, cursor, out, d, stride);
            range = cursor[0];
        }
        return rowsDecoded;
    }

    private void checkSchema(String name, ParquetMetadata footer) {
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        for (String dim : schema.names()) {
            if (!fileSchema.containsField(dim)) {
                throw new StorageException("Cannot read data file " + files.describe(name) + ": it has no column '"
                        + dim + "' of the store's point schema (" + schema + ")");
            }
        }
    }
}
