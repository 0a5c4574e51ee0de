package org.pocaduck.parquet.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.pocaduck.PointCloud;
import org.pocaduck.PointSchema;
import org.pocaduck.parquet.format.PointFileFormat;
import org.pocaduck.parquet.format.WriterVersion;
import org.pocaduck.parquet.format.ZstdCodecs;

/**
 * Writes rows (label, block id, D values) into one Parquet file: ZSTD, dictionary encoding, data
 * pages (v1) of exactly {@value #PAGE_ROWS} rows (the last of a row group may be shorter) with
 * the same row boundaries in every column, row-group statistics and the page index (column and
 * offset indexes). Rows are gathered one page at a time, the dimension columns transposed out of
 * the row-major point clouds; the label and block id columns are kept as runs, which is how they arrive
 * (a run of points of one label and block), and are encoded as runs. Pages are encoded by
 * {@link ColumnChunkWriter} and laid out by parquet-java's {@link ColumnChunkPageWriteStore} and
 * {@link ParquetFileWriter}. A row group ends once its encoded (uncompressed) pages reach
 * {@code rowGroupBytes}. The caller hands runs in (unsigned label, block id) order. Not
 * thread-safe.
 */
public final class PointFileWriter implements AutoCloseable {
    /** Rows per data page: parquet-java's default page row count limit. */
    static final int PAGE_ROWS = ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT;

    private final MessageType type;
    private final List<ColumnDescriptor> columns;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final ParquetFileWriter file;
    private final long rowGroupBytes;
    private final Map<String, String> footer;
    private final int dimensions;
    private final IdPageEncoder ids = new IdPageEncoder();

    /** The page being gathered: label and block id runs, and each dimension's values. */
    private long[] runLabels = new long[64];
    private Binary[] runBlocks = new Binary[64];
    private int[] runLengths = new int[64];
    private int runs;
    private final long[][] pageValues;
    private final long[] staging;
    private int pageRows;

    private ColumnChunkPageWriteStore pages;
    private ColumnChunkWriter.Longs labelChunk;
    private ColumnChunkWriter.Strings blockChunk;
    private ColumnChunkWriter.Longs[] dimensionChunks;
    private long rowGroupRows;

    public PointFileWriter(Path path, PointSchema schema, long rowGroupBytes, int zstdLevel) throws IOException {
        this.type = PointFileFormat.schema(schema);
        this.columns = type.getColumns();
        this.dimensions = schema.dimensions();
        this.rowGroupBytes = rowGroupBytes;
        this.pageValues = new long[dimensions][PAGE_ROWS];
        this.staging = new long[PAGE_ROWS * dimensions];
        this.compressor = new ZstdCodecs(zstdLevel).getCompressor(CompressionCodecName.ZSTD);
        this.footer = Map.of(PointFileFormat.SCHEMA_KEY, schema.toString(), PointFileFormat.WRITER_KEY,
                WriterVersion.get());
        this.file = new ParquetFileWriter(new LocalOutputFile(path), type, ParquetFileWriter.Mode.CREATE,
                rowGroupBytes, 0, ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH, ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
        file.start();
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, type, new HeapByteBufferAllocator(),
                ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
        labelChunk = new ColumnChunkWriter.Longs(columns.get(0).getPrimitiveType(),
                pages.getPageWriter(columns.get(0)), ids);
        blockChunk = new ColumnChunkWriter.Strings(columns.get(1).getPrimitiveType(),
                pages.getPageWriter(columns.get(1)), ids);
        dimensionChunks = new ColumnChunkWriter.Longs[dimensions];
        for (int d = 0; d < dimensions; d++) {
            ColumnDescriptor column = columns.get(d + 2);
            dimensionChunks[d] = new ColumnChunkWriter.Longs(column.getPrimitiveType(), pages.getPageWriter(column),
                    ids);
        }
        rowGroupRows = 0;
    }

    /**
     * Writes the points of one label and block as rows; the cloud's D must be the file's.
     */
    public void writeRun(long label, Binary blockId, PointCloud points) throws IOException {
        int count = points.size();
        int done = 0;
        while (done < count) {
            if (pages == null) {
                startRowGroup();
            }
            int n = Math.min(PAGE_ROWS - pageRows, count - done);
            if (runs > 0 && runLabels[runs - 1] == label && runBlocks[runs - 1].equals(blockId)) {
                runLengths[runs - 1] += n;
            } else {
                if (runs == runLabels.length) {
                    runLabels = Arrays.copyOf(runLabels, runs * 2);
                    runBlocks = Arrays.copyOf(runBlocks, runs * 2);
                    runLengths = Arrays.copyOf(runLengths, runs * 2);
                }
                runLabels[runs] = label;
                runBlocks[runs] = blockId;
                runLengths[runs] = n;
                runs++;
            }
            // Row-major into the staging rows, then column by column into the page.
            points.slice(done, done + n).copyTo(staging, 0);
            for (int d = 0; d < dimensions; d++) {
                long[] column = pageValues[d];
                for (int i = 0, at = d; i < n; i++, at += dimensions) {
                    column[pageRows + i] = staging[at];
                }
            }
            pageRows += n;
            done += n;
            if (pageRows == PAGE_ROWS) {
                writePage();
                if (bufferedBytes() >= rowGroupBytes) {
                    endRowGroup();
                }
            }
        }
    }

    private void writePage() throws IOException {
        labelChunk.writeRuns(runLabels, runLengths, runs, pageRows);
        blockChunk.writeRuns(runBlocks, runLengths, runs, pageRows);
        for (int d = 0; d < dimensions; d++) {
            dimensionChunks[d].writeValues(pageValues[d], pageRows);
        }
        rowGroupRows += pageRows;
        pageRows = 0;
        Arrays.fill(runBlocks, 0, runs, null);
        runs = 0;
    }

    private long bufferedBytes() {
        long bytes = labelChunk.bufferedBytes() + blockChunk.bufferedBytes();
        for (ColumnChunkWriter chunk : dimensionChunks) {
            bytes += chunk.bufferedBytes();
        }
        return bytes;
    }

    private void endRowGroup() throws IOException {
        labelChunk.finish();
        blockChunk.finish();
        for (ColumnChunkWriter chunk : dimensionChunks) {
            chunk.finish();
        }
        file.startBlock(rowGroupRows);
        pages.flushToFileWriter(file);
        file.endBlock();
        pages.close();
        pages = null;
    }

    @Override
    public void close() throws IOException {
        if (pageRows > 0) {
            writePage();
        }
        if (pages != null && rowGroupRows > 0) {
            endRowGroup();
        }
        file.end(footer);
    }
}
