package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.pocaduck.PointSchema;

/**
 * Writes rows (label, block id, D values) into one Parquet file with parquet-java's column
 * writers directly (no record layer): ZSTD, dictionary encoding, pages of at most
 * {@link ParquetProperties#DEFAULT_PAGE_ROW_COUNT_LIMIT} rows, row-group statistics and the page
 * index (column and offset indexes). A run of points of one (label, block) is written column by
 * column in slices, so pages stay small. The caller hands runs in (unsigned label, block id)
 * order. Not thread-safe.
 */
final class PointFileWriter implements AutoCloseable {
    /** Rows written column by column before the row ends are recorded; bounds page overshoot. */
    private static final int SLICE = 1024;

    private final MessageType type;
    private final List<ColumnDescriptor> columns;
    private final ParquetProperties properties;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final ParquetFileWriter file;
    private final long rowGroupBytes;
    private final Map<String, String> footer;
    private final int dimensions;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private ColumnWriter[] writers;
    private long rowGroupRows;

    PointFileWriter(Path path, PointSchema schema, long rowGroupBytes, int zstdLevel) throws IOException {
        this.type = PointFileFormat.schema(schema);
        this.columns = type.getColumns();
        this.dimensions = schema.dimensions();
        this.rowGroupBytes = rowGroupBytes;
        this.properties = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withDictionaryEncoding(true)
                .withPageRowCountLimit(ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT)
                .build();
        this.compressor = new ZstdCodecs(zstdLevel).getCompressor(CompressionCodecName.ZSTD);
        this.footer = Map.of(PointFileFormat.SCHEMA_KEY, schema.toString(), PointFileFormat.WRITER_KEY,
                WriterVersion.get());
        this.file = new ParquetFileWriter(new LocalOutputFile(path), type, ParquetFileWriter.Mode.CREATE,
                rowGroupBytes, 0, properties.getColumnIndexTruncateLength(), properties.getStatisticsTruncateLength(),
                properties.getPageWriteChecksumEnabled());
        file.start();
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, type, properties.getAllocator(),
                properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
        store = properties.newColumnWriteStore(type, pages, pages);
        writers = new ColumnWriter[columns.size()];
        for (int c = 0; c < writers.length; c++) {
            writers[c] = store.getColumnWriter(columns.get(c));
        }
        rowGroupRows = 0;
    }

    /**
     * Writes {@code count} rows of one label and block whose D values are row-major in
     * {@code values} from {@code offset}.
     */
    void writeRun(long label, Binary blockId, long[] values, int offset, int count) throws IOException {
        int done = 0;
        while (done < count) {
            if (store == null) {
                startRowGroup();
            }
            int n = Math.min(SLICE, count - done);
            ColumnWriter labels = writers[0];
            ColumnWriter blocks = writers[1];
            for (int i = 0; i < n; i++) {
                labels.write(label, 0, 0);
                blocks.write(blockId, 0, 0);
            }
            int base = offset + done * dimensions;
            for (int d = 0; d < dimensions; d++) {
                ColumnWriter column = writers[d + 2];
                for (int i = 0, at = base + d; i < n; i++, at += dimensions) {
                    column.write(values[at], 0, 0);
                }
            }
            for (int i = 0; i < n; i++) {
                store.endRecord();
            }
            rowGroupRows += n;
            done += n;
            if (store.getBufferedSize() >= rowGroupBytes) {
                flushRowGroup();
            }
        }
    }

    private void flushRowGroup() throws IOException {
        store.flush();
        file.startBlock(rowGroupRows);
        pages.flushToFileWriter(file);
        file.endBlock();
        store.close();
        pages.close();
        store = null;
    }

    @Override
    public void close() throws IOException {
        if (store != null && rowGroupRows > 0) {
            flushRowGroup();
        }
        file.end(footer);
    }
}
