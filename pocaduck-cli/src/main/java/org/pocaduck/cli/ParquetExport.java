package org.pocaduck.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.pocaduck.PointCloud;

/**
 * Writes one label's points as a plain Parquet file (parquet-java, ZSTD): one row per point,
 * column {@code label} ({@code INT64} annotated unsigned 64-bit), then one {@code INT64} column
 * per dimension in schema order ({@code x, y, z, attributes...}).
 */
final class ParquetExport {
    private ParquetExport() {
    }

    static void write(PointCloud points, long label, List<String> names, Path file) throws IOException {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        builder.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, false)).named("label");
        for (String name : names) {
            builder.required(PrimitiveTypeName.INT64).named(name);
        }
        MessageType schema = builder.named("points");
        PointWriteSupport support = new PointWriteSupport(schema, points, label);
        try (ParquetWriter<Integer> writer = new Builder(new LocalOutputFile(file), support)
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .build()) {
            for (int p = 0; p < points.size(); p++) {
                writer.write(p);
            }
        }
    }

    /** Writes point number {@code p} of one cloud as one row. */
    private static final class PointWriteSupport extends WriteSupport<Integer> {
        private final MessageType schema;
        private final PointCloud points;
        private final long label;
        private RecordConsumer consumer;

        PointWriteSupport(MessageType schema, PointCloud points, long label) {
            this.schema = schema;
            this.points = points;
            this.label = label;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Integer point) {
            consumer.startMessage();
            consumer.startField("label", 0);
            consumer.addLong(label);
            consumer.endField("label", 0);
            for (int d = 0; d < points.dimensions(); d++) {
                String name = schema.getFieldName(d + 1);
                consumer.startField(name, d + 1);
                consumer.addLong(points.get(point, d));
                consumer.endField(name, d + 1);
            }
            consumer.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
        private final PointWriteSupport support;

        Builder(OutputFile file, PointWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(Configuration configuration) {
            return support;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration configuration) {
            return support;
        }
    }
}
