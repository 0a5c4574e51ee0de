package org.pocaduck.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.pocaduck.PointSchema;

/**
 * Writes rows (label, block id, D values) into one Parquet file with parquet-java: ZSTD, row
 * group statistics and the page index (column and offset indexes). The caller hands rows in
 * (unsigned label, block id) order. Not thread-safe.
 */
final class PointFileWriter implements AutoCloseable {
    /** The row being written; {@link RowWriteSupport} reads it. */
    static final class Row {
        long label;
        Binary blockId;
        long[] values;
        int offset;
    }

    private final ParquetWriter<Row> writer;
    private final Row row = new Row();

    PointFileWriter(Path file, PointSchema schema, long rowGroupBytes, int zstdLevel) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setInt("parquet.compression.codec.zstd.level", zstdLevel);
        this.writer = new Builder(new LocalOutputFile(file), schema)
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withCodecFactory(new ZstdCodecs(zstdLevel))
                .withRowGroupSize(rowGroupBytes)
                .withPageRowCountLimit(ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT)
                .withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .build();
    }

    /** Writes one row whose D values are {@code values[offset .. offset + D)}. */
    void write(long label, Binary blockId, long[] values, int offset) throws IOException {
        row.label = label;
        row.blockId = blockId;
        row.values = values;
        row.offset = offset;
        writer.write(row);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final PointSchema schema;

        Builder(OutputFile file, PointSchema schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(schema);
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(schema);
        }
    }

    /** Emits a {@link Row} field by field: the fastest path parquet-java's record API offers. */
    private static final class RowWriteSupport extends WriteSupport<Row> {
        private final PointSchema schema;
        private final MessageType type;
        private final int dimensions;
        private RecordConsumer consumer;

        RowWriteSupport(PointSchema schema) {
            this.schema = schema;
            this.type = PointFileFormat.schema(schema);
            this.dimensions = schema.dimensions();
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return context();
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return context();
        }

        private WriteContext context() {
            Map<String, String> extra = new HashMap<>();
            extra.put(PointFileFormat.SCHEMA_KEY, schema.toString());
            extra.put(PointFileFormat.WRITER_KEY, WriterVersion.get());
            return new WriteContext(type, extra);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row row) {
            RecordConsumer c = consumer;
            c.startMessage();
            c.startField(PointFileFormat.LABEL, 0);
            c.addLong(row.label);
            c.endField(PointFileFormat.LABEL, 0);
            c.startField(PointFileFormat.BLOCK_ID, 1);
            c.addBinary(row.blockId);
            c.endField(PointFileFormat.BLOCK_ID, 1);
            long[] values = row.values;
            int at = row.offset;
            for (int d = 0; d < dimensions; d++) {
                String name = schema.names().get(d);
                c.startField(name, d + 2);
                c.addLong(values[at + d]);
                c.endField(name, d + 2);
            }
            c.endMessage();
        }
    }
}
