package org.pocaduck.parquet.format;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.pocaduck.PointSchema;

/**
 * The Parquet schema of a data file: {@code label} INT64 (UINT_64), {@code block_id} BINARY
 * (STRING), then one required INT64 column per point dimension, named as in the store's
 * {@link PointSchema}.
 */
public final class PointFileFormat {
    static final String LABEL = "label";
    static final String BLOCK_ID = "block_id";
    /** Key of the footer metadata holding the point schema (comma-separated names). */
    public static final String SCHEMA_KEY = "pocaduck.point_schema";
    public static final String WRITER_KEY = "pocaduck.writer_version";

    private PointFileFormat() {
    }

    public static MessageType schema(PointSchema points) {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        builder.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, false)).named(LABEL);
        builder.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(BLOCK_ID);
        for (String name : points.names()) {
            builder.required(PrimitiveTypeName.INT64).named(name);
        }
        return builder.named("pocaduck_points");
    }

    /** The projection a points read needs: the dimension columns only. */
    public static MessageType dimensionsOnly(PointSchema points) {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        for (String name : points.names()) {
            builder.required(PrimitiveTypeName.INT64).named(name);
        }
        return builder.named("pocaduck_points");
    }
}
