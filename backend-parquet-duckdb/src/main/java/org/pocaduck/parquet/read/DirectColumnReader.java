package org.pocaduck.parquet.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.List;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads selected rows of the dimension columns of one data file page by page, without a
 * parquet-java reader per call: the file's offset indexes (where each page starts, its size and
 * first row) and decoded dictionaries are read once and kept, and the pages holding the selected
 * rows of a column are fetched with one positional read, decompressed and decoded straight into
 * the result. Only what this backend's writer produces is handled (required INT64 columns, data
 * pages v1 with a page index, PLAIN or dictionary values); anything else throws
 * {@link Unsupported} and the caller reads the file with parquet-java instead.
 *
 * <p>Thread-safe: loaded column chunks are immutable and kept in a shared cache bounded in bytes
 * ({@value #CHUNK_CACHE_BYTES} per reader, least recently used evicted); reads share nothing
 * else.
 */
final class DirectColumnReader {
    private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

    /** The file layout is not one this reader decodes. */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** Opens a parquet-java reader of the file when a column chunk's indexes must be loaded. */
    @FunctionalInterface
    interface ReaderSource {
        ParquetFileReader get() throws IOException;
    }

    /** One column chunk: where its pages are, and its dictionary. Immutable. */
    record Chunk(ColumnChunkMetaData meta, OffsetIndex pages, long[] dictionary) {
        /** @return an estimate of the heap the chunk holds, for the cache's bound */
        int weight() {
            long bytes = 128L + 32L * pages.getPageCount() + (dictionary == null ? 0 : 8L * dictionary.length);
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }
    }

    /** Which column chunk: a data file, a row group, a dimension. */
    record ChunkKey(String file, int group, int dimension) {
    }

    /**
     * What decoding pages needs beside the cached chunks, one per thread ({@link #get}): the
     * page's bytes as stored and decompressed, reused page after page (arrays over
     * {@link #KEEP_BYTES} are not kept), and a ZSTD decompression context made once per thread,
     * not once per page: a context is native memory, and creating one per page cost more than
     * decompressing the page. A thread's context is freed once the thread is gone (a
     * {@link Cleaner} action), or by {@link #release} on the reader's own threads.
     */
    static final class Scratch {
        static final int KEEP_BYTES = 1 << 20;
        private static final Cleaner CLEANER = Cleaner.create();
        private static final ThreadLocal<Scratch> PER_THREAD = new ThreadLocal<>();

        private byte[] stored = new byte[0];
        private byte[] body = new byte[0];
        private final ZstdDecompressCtx zstd = new ZstdDecompressCtx();
        private final Cleaner.Cleanable freeing;

        private Scratch() {
            ZstdDecompressCtx context = zstd;
            freeing = CLEANER.register(this, context::close);
        }

        /** @return this thread's scratch */
        static Scratch get() {
            Scratch scratch = PER_THREAD.get();
            if (scratch == null) {
                scratch = new Scratch();
                PER_THREAD.set(scratch);
            }
            return scratch;
        }

        /** Frees this thread's scratch now (for threads that end soon after). */
        static void release() {
            Scratch scratch = PER_THREAD.get();
            if (scratch != null) {
                PER_THREAD.remove();
                scratch.freeing.clean();
            }
        }

        private static byte[] grown(byte[] kept, int size) {
            return kept.length >= size ? kept : new byte[Math.max(size, Math.min(KEEP_BYTES, 2 * kept.length))];
        }

        /** @return an array of at least {@code size} bytes for a page as stored */
        byte[] stored(int size) {
            byte[] array = grown(stored, size);
            if (array.length <= KEEP_BYTES) {
                stored = array;
            }
            return array;
        }

        /** @return an array of at least {@code size} bytes for a page decompressed */
        byte[] body(int size) {
            byte[] array = grown(body, size);
            if (array.length <= KEEP_BYTES) {
                body = array;
            }
            return array;
        }

        ZstdDecompressCtx zstd() {
            return zstd;
        }
    }

    /** Chunks kept: page locations and dictionaries of every file read, bounded in bytes. */
    static final long CHUNK_CACHE_BYTES = 64L << 20;

    private final ParquetMetadata footer;
    private final List<ColumnDescriptor> columns;
    private final int[] columnOrdinals;
    private final CompressionCodecFactory codecs;
    private final String file;
    private final Cache<ChunkKey, Chunk> chunks;

    /**
     * @param file the data file's name, part of the cache keys
     * @param chunks where loaded column chunks are kept, shared by the files of one reader
     */
    DirectColumnReader(String file, ParquetMetadata footer, List<ColumnDescriptor> columns,
            CompressionCodecFactory codecs, Cache<ChunkKey, Chunk> chunks) throws Unsupported {
        this.file = file;
        this.chunks = chunks;
        this.footer = footer;
        this.columns = columns;
        this.codecs = codecs;
        List<BlockMetaData> groups = footer.getBlocks();
        this.columnOrdinals = new int[columns.size()];
        if (groups.isEmpty()) {
            return;
        }
        List<ColumnChunkMetaData> first = groups.getFirst().getColumns();
        for (int d = 0; d < columns.size(); d++) {
            columnOrdinals[d] = -1;
            for (int c = 0; c < first.size(); c++) {
                if (first.get(c).getPath().toDotString().equals(String.join(".", columns.get(d).getPath()))) {
                    columnOrdinals[d] = c;
                }
            }
            if (columnOrdinals[d] < 0) {
                throw new Unsupported("no column " + String.join(".", columns.get(d).getPath()));
            }
            ColumnDescriptor column = columns.get(d);
            if (column.getPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.INT64
                    || column.getMaxDefinitionLevel() != 0 || column.getMaxRepetitionLevel() != 0) {
                throw new Unsupported("column " + column + " is not a required INT64");
            }
        }
    }

    /** Loads a column chunk's offset index and dictionary, unless the cache holds them. */
    private Chunk chunk(int group, int d, ReaderSource reader, SeekableInputStream stream)
            throws IOException, Unsupported {
        ChunkKey key = new ChunkKey(file, group, d);
        Chunk chunk = chunks.getIfPresent(key);
        if (chunk == null) {
            ColumnChunkMetaData meta = footer.getBlocks().get(group).getColumns().get(columnOrdinals[d]);
            OffsetIndex pages = reader.get().readOffsetIndex(meta);
            if (pages == null) {
                throw new Unsupported("no offset index");
            }
            long[] dictionary = null;
            if (meta.hasDictionaryPage()) {
                dictionary = readDictionary(meta, columns.get(d), stream);
            }
            chunk = new Chunk(meta, pages, dictionary);
            chunks.put(key, chunk); // two threads loading one chunk at once put equal values
        }
        return chunk;
    }

    private long[] readDictionary(ColumnChunkMetaData meta, ColumnDescriptor column, SeekableInputStream stream)
            throws IOException, Unsupported {
        long start = meta.getDictionaryPageOffset();
        int length = Math.toIntExact(meta.getFirstDataPageOffset() - start);
        byte[] bytes = new byte[length];
        PositionalReads.readFully(stream, start, bytes, 0, length);
        ByteBufferInputStream in = ByteBufferInputStream.wrap(java.nio.ByteBuffer.wrap(bytes));
        PageHeader header = Util.readPageHeader(in);
        if (header.getType() != PageType.DICTIONARY_PAGE) {
            throw new Unsupported("no dictionary page at the dictionary offset");
        }
        BytesInput body = decompress(meta, BytesInput.from(in.slice(header.getCompressed_page_size())),
                header.getUncompressed_page_size());
        DictionaryPage page = new DictionaryPage(body, header.getDictionary_page_header().getNum_values(),
                CONVERTER.getEncoding(header.getDictionary_page_header().getEncoding()));
        Dictionary decoded = page.getEncoding().initDictionary(column, page);
        long[] values = new long[decoded.getMaxId() + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = decoded.decodeToLong(i);
        }
        return values;
    }

    /**
     * The values of a data page: its body decompressed (ZSTD, what this backend writes, straight
     * with zstd-jni) and decoded run by run for the encodings this backend writes, or with
     * parquet-java's reader for any other.
     */
    private PageValues pageValues(Chunk chunk, ColumnDescriptor column, byte[] page, int at, PageHeader header,
            Scratch scratch) throws IOException {
        int compressed = header.getCompressed_page_size();
        int size = header.getUncompressed_page_size();
        ColumnChunkMetaData meta = chunk.meta();
        byte[] body;
        int from = 0;
        int to = size;
        if (meta.getCodec() == CompressionCodecName.UNCOMPRESSED) {
            body = page;
            from = at;
            to = at + compressed;
        } else if (meta.getCodec() == CompressionCodecName.ZSTD) {
            body = scratch.body(size);
            int n;
            try {
                n = scratch.zstd().decompressByteArray(body, 0, size, page, at, compressed);
            } catch (ZstdException e) {
                throw new IOException("a ZSTD page of " + compressed + " bytes does not decompress: "
                        + e.getMessage(), e);
            }
            if (n != size) {
                throw new IOException("a ZSTD page of " + compressed + " bytes decompressed to " + n
                        + " bytes, not " + size);
            }
        } else {
            body = decompress(meta, BytesInput.from(page, at, compressed), size).toByteArray();
            to = body.length;
        }
        Encoding encoding = CONVERTER.getEncoding(header.getData_page_header().getEncoding());
        if (encoding.usesDictionary() && chunk.dictionary() == null) {
            throw new IOException("dictionary-encoded page without a dictionary in column " + column);
        }
        return switch (encoding) {
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> new PageValues.DictionaryIds(body, from, to, chunk.dictionary());
            case PLAIN -> new PageValues.Plain(body, from, to);
            default -> {
                ValuesReader values = encoding.usesDictionary()
                        ? encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, null)
                        : encoding.getValuesReader(column, ValuesType.VALUES);
                values.initFromPage(header.getData_page_header().getNum_values(),
                        ByteBufferInputStream.wrap(java.nio.ByteBuffer.wrap(body, from, to - from)));
                yield new PageValues.PerValue(values, encoding.usesDictionary() ? chunk.dictionary() : null);
            }
        };
    }

    private BytesInput decompress(ColumnChunkMetaData meta, BytesInput bytes, int uncompressedSize)
            throws IOException {
        return codecs.getDecompressor(meta.getCodec()).decompress(bytes, uncompressedSize);
    }

    /**
     * Decodes the selected rows of dimension {@code d} in one row group, each range's rows into
     * every {@code stride}-th slot of {@code out} from slot {@code destinations[r] * stride + d}.
     *
     * @param ranges sorted, disjoint [from, to) pairs of row-group-local rows
     * @param destinations per range, the point its first row goes to
     * @param scratch this thread's page arrays and ZSTD context
     * @return the rows decoded
     */
    long read(int group, int d, long[] ranges, long[] destinations, long[] out, int stride, ReaderSource reader,
            SeekableInputStream stream, Scratch scratch) throws IOException, Unsupported {
        Chunk chunk = chunk(group, d, reader, stream);
        OffsetIndex pages = chunk.pages();
        long groupRows = footer.getBlocks().get(group).getRowCount();
        int firstPage = pageOf(pages, ranges[0]);
        int lastPage = pageOf(pages, ranges[ranges.length - 1] - 1);
        ColumnDescriptor column = columns.get(d);
        long decoded = 0;
        int range = 0;
        // The pages from the first to the last: one positional read if they fit the scratch
        // array, else one per page (header and body), so memory stays small however large the label.
        long spanStart = pages.getOffset(firstPage);
        long spanLength = pages.getOffset(lastPage) + pages.getCompressedPageSize(lastPage) - spanStart;
        byte[] span = null;
        if (spanLength <= Scratch.KEEP_BYTES) {
            span = scratch.stored((int) spanLength);
            PositionalReads.readFully(stream, spanStart, span, 0, (int) spanLength);
        }
        for (int p = firstPage; p <= lastPage && range * 2 < ranges.length; p++) {
            long first = pages.getFirstRowIndex(p);
            long endRow = p + 1 < pages.getPageCount() ? pages.getFirstRowIndex(p + 1) : groupRows;
            if (ranges[2 * range] >= endRow) {
                continue; // a page between two ranges: not decoded (nor read, page by page)
            }
            int length = pages.getCompressedPageSize(p);
            byte[] bytes;
            int pageAt;
            if (span != null) {
                bytes = span;
                pageAt = (int) (pages.getOffset(p) - spanStart);
            } else {
                bytes = scratch.stored(length);
                pageAt = 0;
                PositionalReads.readFully(stream, pages.getOffset(p), bytes, 0, length);
            }
            ByteBufferInputStream in = ByteBufferInputStream.wrap(java.nio.ByteBuffer.wrap(bytes, pageAt, length));
            PageHeader header = Util.readPageHeader(in);
            int bodyAt = pageAt + (int) in.position();
            if (header.getType() != PageType.DATA_PAGE) {
                throw new Unsupported("page type " + header.getType());
            }
            PageValues values = pageValues(chunk, column, bytes, bodyAt, header, scratch);
            int[] cursor = {range};
            decoded += decodeRanges(values, first, endRow, ranges, destinations, cursor, out, d, stride);
            range = cursor[0];
        }
        return decoded;
    }

    /**
     * Decodes the rows of one page that fall in the ranges, from {@code ranges[2 * cursor[0]]} on,
     * skipping the rows between, range r's rows into every {@code stride}-th slot of {@code out}
     * from slot {@code destinations[r] * stride + d}; advances {@code cursor[0]} past every range
     * that ends in the page.
     *
     * @param first the page's first row-group-local row
     * @param end the row after the page's last
     * @return the rows decoded
     */
    static long decodeRanges(PageValues values, long first, long end, long[] ranges, long[] destinations,
            int[] cursor, long[] out, int d, int stride) {
        int range = cursor[0];
        long row = first;
        long decoded = 0;
        while (range * 2 < ranges.length) {
            long from = Math.max(ranges[2 * range], row);
            long to = Math.min(ranges[2 * range + 1], end);
            if (from >= end) {
                break;
            }
            if (from > row) {
                values.skip((int) (from - row));
            }
            int at = Math.toIntExact((destinations[range] + from - ranges[2 * range]) * stride + d);
            values.read((int) (to - from), out, at, stride);
            decoded += to - from;
            row = to;
            if (to == ranges[2 * range + 1]) {
                range++;
            } else {
                break;
            }
        }
        cursor[0] = range;
        return decoded;
    }

    /** @return the page holding a row-group-local row (the offset index lists pages by first row) */
    private static int pageOf(OffsetIndex pages, long row) {
        int lo = 0;
        int hi = pages.getPageCount() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (pages.getFirstRowIndex(mid) <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
