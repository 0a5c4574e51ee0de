package org.pocaduck.parquet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.page.PageReadStore;
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

/**
 * Reads row ranges of data files with parquet-java: for each row group holding a range it reads
 * only the pages of the dimension columns that overlap the range (the offset index), decompresses
 * them and decodes the INT64 values straight into a row-major array. Footers are cached.
 * Thread-safe.
 */
final class PointReader {
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

    PointReader(StoreIO files, PointSchema schema) {
        this.files = files;
        this.schema = schema;
        this.projection = PointFileFormat.dimensionsOnly(schema);
        this.columns = projection.getColumns();
        this.options = ParquetReadOptions.builder(new PlainParquetConfiguration()).useColumnIndexFilter(true)
                .withCodecFactory(new ZstdCodecs(Settings.DEFAULT_ZSTD_LEVEL)).build();
    }

    /**
     * Reads the given ranges into {@code out} starting at point {@code firstPoint}, in file and
     * row order.
     *
     * @return the points read
     */
    long read(long label, List<IndexEntry> ranges, long[] out, int firstPoint, QueryTiming.Recorder timing) {
        Map<String, List<IndexEntry>> byFile = new TreeMap<>();
        for (IndexEntry e : ranges) {
            byFile.computeIfAbsent(e.file(), f -> new ArrayList<>()).add(e);
        }
        int dims = schema.dimensions();
        long point = firstPoint;
        for (Map.Entry<String, List<IndexEntry>> fileRanges : byFile.entrySet()) {
            String name = fileRanges.getKey();
            try {
                CountingInputFile input = new CountingInputFile(files.newInputFile(name));
                ParquetMetadata footer = footers.getIfPresent(name);
                try (SeekableInputStream stream = input.newStream()) {
                    if (footer == null) {
                        footer = ParquetFileReader.readFooter(input, options, stream);
                        checkSchema(name, footer);
                        footers.put(name, footer);
                    }
                    long read = readDirect(label, name, footer, input, stream, fileRanges.getValue(), out, point,
                            timing);
                    point += read >= 0 ? read : readWithParquetJava(label, name, footer, input, stream,
                            fileRanges.getValue(), out, point, timing);
                }
                timing.files(1).bytes(input.bytesRead()).requests(input.readRequests()).dataReadDone();
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
        return point - firstPoint;
    }


    /**
     * Reads one file's ranges through its cached page locations and dictionaries.
     *
     * @return the points read, or -1 if the file's layout is not one {@link DirectColumnReader} reads
     */
    private long readDirect(long label, String name, ParquetMetadata footer, CountingInputFile input,
            SeekableInputStream stream, List<IndexEntry> ranges, long[] out, long point, QueryTiming.Recorder timing)
            throws IOException {
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
        long start = point;
        DirectColumnReader.Scratch scratch = DirectColumnReader.Scratch.get();
        try {
            List<BlockMetaData> groups = footer.getBlocks();
            long groupStart = 0;
            for (int g = 0; g < groups.size(); g++) {
                long groupEnd = groupStart + groups.get(g).getRowCount();
                long[] local = localRanges(ranges, groupStart, groupEnd);
                if (local.length > 0) {
                    long want = 0;
                    for (int i = 0; i < local.length; i += 2) {
                        want += local[i + 1] - local[i];
                    }
                    int base = Math.toIntExact(point * dims);
                    for (int d = 0; d < dims; d++) {
                        long decoded = columnsOfFile.read(g, d, local, out, base + d, dims, source, stream, scratch);
                        checkDecoded(label, name, g, d, decoded, want);
                    }
                    point += want;
                    timing.rows(want).decodeDone();
                }
                groupStart = groupEnd;
            }
            return point - start;
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
            SeekableInputStream stream, List<IndexEntry> ranges, long[] out, long point, QueryTiming.Recorder timing)
            throws IOException {
        int dims = schema.dimensions();
        long start = point;
        try (ParquetFileReader reader = ParquetFileReader.open(input, footer, options, stream)) {
            reader.setRequestedSchema(projection);
            List<BlockMetaData> groups = footer.getBlocks();
            long groupStart = 0;
            for (int g = 0; g < groups.size(); g++) {
                long groupRows = groups.get(g).getRowCount();
                long groupEnd = groupStart + groupRows;
                RowRanges.Builder selected = RowRanges.builder();
                long want = 0;
                for (IndexEntry e : ranges) {
                    long from = Math.max(e.rowStart(), groupStart);
                    long to = Math.min(e.rowStart() + e.pointCount(), groupEnd);
                    if (from < to) {
                        selected.addSelectedRange(from - groupStart, to - groupStart - 1);
                        want += to - from;
                    }
                }
                if (want > 0) {
                    PageReadStore pages = reader.readFilteredRowGroup(g, selected.build());
                    timing.dataReadDone();
                    long[] local = localRanges(ranges, groupStart, groupEnd);
                    int base = Math.toIntExact(point * dims);
                    long rows = want;
                    for (int d = 0; d < dims; d++) {
                        long decoded = decodeColumn(pages.getPageReader(columns.get(d)), columns.get(d),
                                local, out, base + d, dims);
                        checkDecoded(label, name, g, d, decoded, want);
                    }
                    point += rows;
                    timing.rows(rows).decodeDone();
                }
                groupStart = groupEnd;
            }
        }
        return point - start;
    }

    /** @return true if reads of the data file go page by page with cached locations (not through parquet-java) */
    boolean readsDirectly(String name) {
        return direct.getIfPresent(name) != null;
    }

    /** @return sorted [from, to) pairs of row-group-local rows selected by the ranges */
    private static long[] localRanges(List<IndexEntry> ranges, long groupStart, long groupEnd) {
        List<long[]> pairs = new ArrayList<>();
        for (IndexEntry e : ranges) {
            long from = Math.max(e.rowStart(), groupStart);
            long to = Math.min(e.rowStart() + e.pointCount(), groupEnd);
            if (from < to) {
                pairs.add(new long[] {from - groupStart, to - groupStart});
            }
        }
        pairs.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] flat = new long[pairs.size() * 2];
        for (int i = 0; i < pairs.size(); i++) {
            flat[2 * i] = pairs.get(i)[0];
            flat[2 * i + 1] = pairs.get(i)[1];
        }
        return flat;
    }

    /**
     * Decodes the selected rows of one required INT64 column from the pages the filtered read
     * returned (only pages overlapping the rows): each page's values are read with parquet-java's
     * values reader for its encoding, skipping rows outside the ranges, into every
     * {@code stride}-th slot of {@code out} from {@code at}.
     *
     * @return the rows decoded
     */
    private static long decodeColumn(PageReader pages, ColumnDescriptor column, long[] ranges, long[] out, int at,
            int stride) throws IOException {
        int start = at;
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
            at = DirectColumnReader.decodeRanges(new PageValues.PerValue(values, useDictionary ? dictionary : null),
                    first, end, ranges, cursor, out, at, stride);
            range = cursor[0];
        }
        return (at - start) / stride;
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
