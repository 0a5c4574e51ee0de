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
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
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
    private static final GroupConverter NO_CONVERTER = new GroupConverter() {
        private final PrimitiveConverter primitive = new PrimitiveConverter() {
        };

        @Override
        public Converter getConverter(int fieldIndex) {
            return primitive;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    };

    private final DataFiles files;
    private final PointSchema schema;
    private final MessageType projection;
    private final List<ColumnDescriptor> columns;
    private final ParquetReadOptions options;
    private final Cache<String, ParquetMetadata> footers = Caffeine.newBuilder().maximumSize(4096).build();

    PointReader(DataFiles files, PointSchema schema) {
        this.files = files;
        this.schema = schema;
        this.projection = PointFileFormat.dimensionsOnly(schema);
        this.columns = projection.getColumns();
        this.options = ParquetReadOptions.builder(new PlainParquetConfiguration()).useColumnIndexFilter(true).build();
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
                CountingInputFile input = new CountingInputFile(files.open(name));
                ParquetMetadata footer = footers.getIfPresent(name);
                try (SeekableInputStream stream = input.newStream()) {
                    if (footer == null) {
                        footer = ParquetFileReader.readFooter(input, options, stream);
                        checkSchema(name, footer);
                        footers.put(name, footer);
                    }
                    try (ParquetFileReader reader = ParquetFileReader.open(input, footer, options, stream)) {
                        reader.setRequestedSchema(projection);
                        String createdBy = footer.getFileMetaData().getCreatedBy();
                        List<BlockMetaData> groups = footer.getBlocks();
                        long groupStart = 0;
                        for (int g = 0; g < groups.size(); g++) {
                            long groupRows = groups.get(g).getRowCount();
                            long groupEnd = groupStart + groupRows;
                            RowRanges.Builder selected = RowRanges.builder();
                            long want = 0;
                            for (IndexEntry e : fileRanges.getValue()) {
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
                                long rows = pages.getRowCount();
                                if (rows != want) {
                                    throw new StorageException("Cannot read points of label " + Labels.format(label)
                                            + ": data file " + files.describe(name) + " row group " + g + " gave "
                                            + rows + " rows where the index names " + want);
                                }
                                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, NO_CONVERTER, projection,
                                        createdBy);
                                int base = Math.toIntExact(point * dims);
                                for (int d = 0; d < dims; d++) {
                                    ColumnReader column = store.getColumnReader(columns.get(d));
                                    for (int i = 0, at = base + d; i < rows; i++, at += dims) {
                                        out[at] = column.getLong();
                                        column.consume();
                                    }
                                }
                                point += rows;
                                timing.rows(rows).decodeDone();
                            }
                            groupStart = groupEnd;
                        }
                    }
                }
                timing.files(1).bytes(input.bytesRead()).dataReadDone();
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
