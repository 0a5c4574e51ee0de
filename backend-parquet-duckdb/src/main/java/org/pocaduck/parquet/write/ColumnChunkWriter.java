package org.pocaduck.parquet.write;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Encodes the data pages of one column chunk (one column of one row group) and hands them to
 * parquet-java's {@link PageWriter}, which compresses them and keeps the chunk's statistics,
 * column index and offset index. The pages are what parquet-java's V1 column writer writes with
 * dictionary encoding on, without its per-value work: dictionary ids (encoding PLAIN_DICTIONARY,
 * see {@link IdPageEncoder}) and, when the row group ends, the PLAIN dictionary page. When the
 * dictionary would pass {@link ParquetProperties#DEFAULT_DICTIONARY_PAGE_SIZE} bytes, this and the
 * chunk's remaining pages are PLAIN, as parquet-java falls back. Page statistics (min and max)
 * are worked out per page in the column's own order (unsigned for UINT_64, byte-wise for strings),
 * so the column index lets readers skip pages. A writer serves one chunk; not thread-safe.
 */
abstract sealed class ColumnChunkWriter permits ColumnChunkWriter.Longs, ColumnChunkWriter.Strings {
    static final long DICTIONARY_LIMIT_BYTES = ParquetProperties.DEFAULT_DICTIONARY_PAGE_SIZE;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    final PrimitiveType type;
    private final PageWriter pages;
    final IdPageEncoder ids;
    /** Scratch for PLAIN pages, reused page after page. */
    byte[] plain = new byte[1 << 12];
    private boolean fallenBack;
    private boolean dictionaryUsed;
    private long pageBytes;

    private ColumnChunkWriter(PrimitiveType type, PageWriter pages, IdPageEncoder ids) {
        this.type = type;
        this.pages = pages;
        this.ids = ids;
    }

    /** @return the chunk's bytes so far, encoded but not compressed, dictionary included */
    final long bufferedBytes() {
        return pageBytes + dictionaryBytes();
    }

    /**
     * Writes the dictionary page if any page used the dictionary. Call once, after the last data
     * page of the chunk.
     */
    final void finish() throws IOException {
        if (dictionaryUsed) {
            pages.writeDictionaryPage(new DictionaryPage(BytesInput.from(dictionaryPage()), dictionarySize(),
                    Encoding.PLAIN_DICTIONARY));
        }
    }

    /** @return whether this page may use the dictionary after adding at most {@code newBytes} */
    final boolean useDictionary(long newBytes) {
        if (!fallenBack && dictionaryBytes() + newBytes > DICTIONARY_LIMIT_BYTES) {
            fallenBack = true;
        }
        return !fallenBack;
    }

    final void writeIdPage(int rows, Statistics<?> statistics) throws IOException {
        int length = ids.finish();
        dictionaryUsed = true;
        pageBytes += length;
        pages.writePage(BytesInput.from(ids.bytes(), 0, length), rows, rows, statistics, Encoding.BIT_PACKED,
                Encoding.BIT_PACKED, Encoding.PLAIN_DICTIONARY);
    }

    final void writePlainPage(int length, int rows, Statistics<?> statistics) throws IOException {
        pageBytes += length;
        pages.writePage(BytesInput.from(plain, 0, length), rows, rows, statistics, Encoding.BIT_PACKED,
                Encoding.BIT_PACKED, Encoding.PLAIN);
    }

    final void ensurePlain(int length) {
        if (length > plain.length) {
            plain = Arrays.copyOf(plain, Math.max(length, plain.length * 2));
        }
    }

    /** @return the bits a dictionary id needs when the dictionary holds {@code size} values */
    static int bitWidth(int size) {
        return size <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1);
    }

    abstract long dictionaryBytes();

    abstract int dictionarySize();

    abstract byte[] dictionaryPage();

    /** An INT64 column: a point dimension, or the label (UINT_64, runs). */
    static final class Longs extends ColumnChunkWriter {
        private final LongDictionary dictionary = new LongDictionary();
        private final boolean unsigned;
        private int[] pageIds = new int[1 << 10];

        Longs(PrimitiveType type, PageWriter pages, IdPageEncoder ids) {
            super(type, pages, ids);
            this.unsigned = type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
                    i && !i.isSigned();
        }

        /** Writes one page of {@code rows} values, {@code values[0..rows)}. */
        void writeValues(long[] values, int rows) throws IOException {
            Statistics<?> statistics = statistics(values, rows);
            if (useDictionary((long) rows * Long.BYTES)) {
                if (pageIds.length < rows) {
                    pageIds = new int[rows];
                }
                int[] pageIds = this.pageIds;
                for (int i = 0; i < rows; i++) {
                    pageIds[i] = dictionary.idOf(values[i]);
                }
                ids.start(bitWidth(dictionary.size()));
                int i = 0;
                while (i < rows) {
                    int id = pageIds[i];
                    int end = i + 1;
                    while (end < rows && pageIds[end] == id) {
                        end++;
                    }
                    ids.add(id, end - i);
                    i = end;
                }
                writeIdPage(rows, statistics);
            } else {
                int length = rows * Long.BYTES;
                ensurePlain(length);
                for (int i = 0; i < rows; i++) {
                    LONG_LE.set(plain, i * Long.BYTES, values[i]);
                }
                writePlainPage(length, rows, statistics);
            }
        }

        /**
         * Writes one page of {@code rows} values given as {@code runs} runs: value
         * {@code runValues[r]} repeated {@code runLengths[r]} times.
         */
        void writeRuns(long[] runValues, int[] runLengths, int runs, int rows) throws IOException {
            Statistics<?> statistics = statistics(runValues, runs);
            if (useDictionary((long) runs * Long.BYTES)) {
                if (pageIds.length < runs) {
                    pageIds = new int[Math.max(runs, pageIds.length * 2)];
                }
                for (int r = 0; r < runs; r++) {
                    pageIds[r] = dictionary.idOf(runValues[r]);
                }
                ids.start(bitWidth(dictionary.size()));
                for (int r = 0; r < runs; r++) {
                    ids.add(pageIds[r], runLengths[r]);
                }
                writeIdPage(rows, statistics);
            } else {
                int length = rows * Long.BYTES;
                ensurePlain(length);
                int at = 0;
                for (int r = 0; r < runs; r++) {
                    for (int k = 0; k < runLengths[r]; k++, at += Long.BYTES) {
                        LONG_LE.set(plain, at, runValues[r]);
                    }
                }
                writePlainPage(length, rows, statistics);
            }
        }

        private boolean less(long a, long b) {
            return unsigned ? Long.compareUnsigned(a, b) < 0 : a < b;
        }

        /** @return statistics holding the minimum and maximum of {@code values[0..count)} */
        private Statistics<?> statistics(long[] values, int count) {
            long min = values[0];
            long max = values[0];
            for (int i = 1; i < count; i++) {
                long v = values[i];
                if (less(v, min)) {
                    min = v;
                } else if (less(max, v)) {
                    max = v;
                }
            }
            Statistics<?> statistics = Statistics.createStats(type);
            statistics.updateStats(min);
            statistics.updateStats(max);
            return statistics;
        }

        @Override
        long dictionaryBytes() {
            return (long) dictionary.size() * Long.BYTES;
        }

        @Override
        int dictionarySize() {
            return dictionary.size();
        }

        @Override
        byte[] dictionaryPage() {
            byte[] page = new byte[dictionary.size() * Long.BYTES];
            for (int id = 0; id < dictionary.size(); id++) {
                LONG_LE.set(page, id * Long.BYTES, dictionary.value(id));
            }
            return page;
        }
    }

    /** A BINARY (STRING) column written in runs: the block id. */
    static final class Strings extends ColumnChunkWriter {
        private final Map<Binary, Integer> dictionary = new HashMap<>();
        private final List<Binary> values = new ArrayList<>();
        private long valueBytes;

        Strings(PrimitiveType type, PageWriter pages, IdPageEncoder ids) {
            super(type, pages, ids);
        }

        /**
         * Writes one page of {@code rows} values given as {@code runs} runs: value
         * {@code runValues[r]} repeated {@code runLengths[r]} times.
         */
        void writeRuns(Binary[] runValues, int[] runLengths, int runs, int rows) throws IOException {
            Statistics<?> statistics = Statistics.createStats(type);
            long newBytes = 0;
            for (int r = 0; r < runs; r++) {
                statistics.updateStats(runValues[r]);
                newBytes += Integer.BYTES + runValues[r].length();
            }
            if (useDictionary(newBytes)) {
                int[] runIds = new int[runs];
                for (int r = 0; r < runs; r++) {
                    Binary value = runValues[r];
                    Integer id = dictionary.get(value);
                    if (id == null) {
                        id = values.size();
                        Binary copy = value.copy();
                        dictionary.put(copy, id);
                        values.add(copy);
                        valueBytes += Integer.BYTES + copy.length();
                    }
                    runIds[r] = id;
                }
                ids.start(bitWidth(values.size()));
                for (int r = 0; r < runs; r++) {
                    ids.add(runIds[r], runLengths[r]);
                }
                writeIdPage(rows, statistics);
            } else {
                long length = 0;
                for (int r = 0; r < runs; r++) {
                    length += (long) runLengths[r] * (Integer.BYTES + runValues[r].length());
                }
                ensurePlain(Math.toIntExact(length));
                int at = 0;
                for (int r = 0; r < runs; r++) {
                    byte[] bytes = runValues[r].getBytesUnsafe();
                    for (int k = 0; k < runLengths[r]; k++) {
                        INT_LE.set(plain, at, bytes.length);
                        System.arraycopy(bytes, 0, plain, at + Integer.BYTES, bytes.length);
                        at += Integer.BYTES + bytes.length;
                    }
                }
                writePlainPage(at, rows, statistics);
            }
        }

        @Override
        long dictionaryBytes() {
            return valueBytes;
        }

        @Override
        int dictionarySize() {
            return values.size();
        }

        @Override
        byte[] dictionaryPage() {
            byte[] page = new byte[Math.toIntExact(valueBytes)];
            int at = 0;
            for (Binary value : values) {
                byte[] bytes = value.getBytesUnsafe();
                INT_LE.set(page, at, bytes.length);
                System.arraycopy(bytes, 0, page, at + Integer.BYTES, bytes.length);
                at += Integer.BYTES + bytes.length;
            }
            return page;
        }
    }
}
