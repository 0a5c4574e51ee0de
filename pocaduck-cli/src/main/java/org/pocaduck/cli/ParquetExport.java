package org.pocaduck.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
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
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.pocaduck.BlockPoints;
import org.pocaduck.PointCloud;

/**
 * Writes one label's points as a plain Parquet file (parquet-java, ZSTD): one row per point,
 * column {@code label} ({@code INT64} annotated unsigned 64-bit), optionally {@code block_id}
 * ({@code BINARY} annotated string, the block id as written), then one {@code INT64} column per
 * dimension in schema order ({@code x, y, z, attributes...}).
 */
final class ParquetExport {
    private ParquetExport() {
    }

    static void write(PointCloud points, long label, List<String> names, Path file) throws IOException {
        write(List.of(new BlockPoints("", points)).iterator(), label, names, false, file);
    }

    /**
     * Writes chunks of points one after the other, holding one chunk at a time.
     *
     * @param withBlockId true to write the {@code block_id} column from each chunk's block id
     */
    static void write(Iterator<BlockPoints> chunks, long label, List<String> names, boolean withBlockId, Path file)
            throws IOException {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        builder.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, false)).named("label");
        if (withBlockId) {
            builder.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("block_id");
        }
        for (String name : names) {
            builder.required(PrimitiveTypeName.INT64).named(name);
        }
        MessageType schema = builder.named("points");
        PointWriteSupport support = new PointWriteSupport(schema, label, withBlockId);
        try (ParquetWriter<Integer> writer = new Builder(new LocalOutputFile(file), support)
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .build()) {
            while (chunks.hasNext()) {
                BlockPoints chunk = chunks.next();
                support.chunk(chunk);
                for (int p = 0; p < chunk.points().size(); p++) {
                    writer.write(p);
                }
            }
        }
    }

    /** Writes point number {@code p} of the current chunk as one row. */
    private static final class PointWriteSupport extends WriteSupport<Integer> {
        private final MessageType schema;
        private final long label;
        private final boolean withBlockId;
        private final int firstDimension;
        private PointCloud points;
        private Binary blockId;
        private RecordConsumer consumer;

        PointWriteSupport(MessageType schema, long label, boolean withBlockId) {
            this.schema = schema;
            this.label = label;
            this.withBlockId = withBlockId;
            this.firstDimension = withBlockId ? 2 : 1;
        }

        void chunk(BlockPoints chunk) {
            points = chunk.points();
            blockId = Binary.fromString(chunk.blockId());
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
            if (withBlockId) {
                consumer.startField("block_id", 1);
                consumer.addBinary(blockId);
                consumer.endField("block_id", 1);
            }
            for (int d = 0; d < points.dimensions(); d++) {
                String name = schema.getFieldName(d + firstDimension);
                consumer.startField(name, d + firstDimension);
                consumer.addLong(points.get(point, d));
                consumer.endField(name, d + firstDimension);
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
