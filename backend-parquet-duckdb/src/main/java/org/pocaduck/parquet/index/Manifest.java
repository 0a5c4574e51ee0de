package org.pocaduck.parquet.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.pocaduck.PointSchema;
import org.pocaduck.StorageException;
import org.pocaduck.parquet.format.WriterVersion;
import org.pocaduck.parquet.io.StoreIO;
import org.pocaduck.parquet.io.StoreLayout;

/**
 * The store manifest {@value StoreLayout#MANIFEST}: format name and version, the point schema
 * (once fixed) and the library version that last wrote it. Immutable.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion the layout version, {@value #FORMAT_VERSION} for this library
 * @param pointSchema the dimension names, or null while the store has no schema
 * @param writerVersion the library version that wrote the manifest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        @JsonProperty("format") String format,
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("point_schema") List<String> pointSchema,
        @JsonProperty("writer_version") String writerVersion) {

    static final String FORMAT = "pocaduck-parquet-duckdb";
    /** The layout version this library writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Manifest empty() {
        return new Manifest(FORMAT, FORMAT_VERSION, null, WriterVersion.get());
    }

    public Optional<PointSchema> schema() {
        return pointSchema == null ? Optional.empty() : Optional.of(new PointSchema(pointSchema));
    }

    public Manifest withSchema(PointSchema schema) {
        return new Manifest(FORMAT, FORMAT_VERSION, schema.names(), WriterVersion.get());
    }

    /**
     * Reads and checks the manifest of a store.
     *
     * @return the manifest, or empty if there is none
     * @throws StorageException if it is unreadable, not a manifest, or of a newer format version
     */
    public static Optional<Manifest> read(StoreIO io) {
        StoreIO.Versioned file;
        try {
            file = io.read(StoreLayout.MANIFEST);
        } catch (IOException e) {
            throw new StorageException("Cannot read store manifest " + io.describe(StoreLayout.MANIFEST) + ": "
                    + e.getMessage(), e);
        }
        return file == null ? Optional.empty() : Optional.of(parse(file.bytes(), io.describe(StoreLayout.MANIFEST)));
    }

    /**
     * Parses and checks a manifest's bytes.
     *
     * @param where the manifest's path or URI, for messages
     * @throws StorageException if it is not a manifest, or of a newer format version
     */
    public static Manifest parse(byte[] bytes, String where) {
        Manifest manifest;
        try {
            manifest = JSON.readValue(bytes, Manifest.class);
        } catch (IOException e) {
            throw new StorageException("Cannot read store manifest " + where + ": " + e.getMessage(), e);
        }
        if (manifest == null || !FORMAT.equals(manifest.format())) {
            throw new StorageException("Cannot read store manifest " + where + ": its format is '"
                    + (manifest == null ? null : manifest.format()) + "', expected '" + FORMAT + "'");
        }
        if (manifest.formatVersion() > FORMAT_VERSION || manifest.formatVersion() < 1) {
            throw new StorageException("Cannot open store with manifest " + where + ": it has format version "
                    + manifest.formatVersion() + " (written by " + manifest.writerVersion()
                    + "), this library reads format versions 1 to " + FORMAT_VERSION);
        }
        if (manifest.pointSchema() != null) {
            try {
                new PointSchema(manifest.pointSchema());
            } catch (IllegalArgumentException e) {
                throw new StorageException("Cannot read store manifest " + where + ": " + e.getMessage(), e);
            }
        }
        return manifest;
    }

    /** @return the manifest as written */
    public byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new StorageException("Cannot encode the store manifest: " + e.getMessage(), e);
        }
    }
}
