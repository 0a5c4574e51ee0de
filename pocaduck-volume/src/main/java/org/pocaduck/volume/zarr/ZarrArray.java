package org.pocaduck.volume.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.internal.ElementType;

/**
 * The metadata of one Zarr array, v2 ({@code .zarray}) or v3 ({@code zarr.json}), reduced to what a
 * label reader needs. Immutable, thread-safe.
 *
 * <p>Sources: Zarr storage specification v2 (dtype strings such as {@code <u8}, {@code order},
 * {@code fill_value}, {@code dimension_separator} with default {@code "."}) and Zarr core
 * specification v3 ({@code data_type}, {@code chunk_grid} "regular", {@code chunk_key_encoding}
 * "default" ({@code c/0/1/2}, separator default {@code "/"}) and "v2" (separator default
 * {@code "."}), {@code codecs} with the array-to-bytes {@code bytes} codec and its
 * {@code endian}).
 *
 * @param directory the array's directory
 * @param metadata its metadata file, named in errors
 * @param zarrFormat 2 or 3
 * @param shape the array's shape, all dimensions (the last three are z, y, x; any before them are 1)
 * @param chunks the chunk shape, same length
 * @param type the element type and byte order of decoded chunks
 * @param fill the fill value's bits (uint64 in a long, or the signed value)
 * @param codecs bytes-to-bytes decoders in decode order (the reverse of the stored list)
 * @param v3DefaultKeys true for v3 "default" chunk keys ({@code c} prefix)
 * @param separator the chunk key separator
 * @param sharding for a v3 sharded array, its inner layout ({@code chunks} is then the shard shape
 *     and {@code codecs} is empty)
 */
record ZarrArray(Path directory, Path metadata, int zarrFormat, long[] shape, int[] chunks, ElementType type,
        long fill, List<Codec> codecs, boolean v3DefaultKeys, String separator, Optional<Sharding> sharding) {
    private static final Pattern V2_DTYPE = Pattern.compile("([<>|])([iu])([1248])");

    /** @return the chunk file of a chunk index (z, y, x; leading dimensions take index 0) */
    Path chunkFile(long cz, long cy, long cx) {
        StringBuilder key = new StringBuilder(v3DefaultKeys ? "c" + separator : "");
        for (int d = 0; d < shape.length - 3; d++) {
            key.append('0').append(separator);
        }
        key.append(cz).append(separator).append(cy).append(separator).append(cx);
        return directory.resolve(key.toString());
    }

    /** @return the bytes of one decoded chunk */
    long chunkBytes() {
        long n = type.bytes();
        for (int c : chunks) {
            n = Math.multiplyExact(n, c);
        }
        return n;
    }

    /** Parses a v2 {@code .zarray}. */
    static ZarrArray v2(Path directory, Path metadata, JsonNode json) {
        requireInt(json, "zarr_format", 2, metadata);
        long[] shape = longs(json, "shape", metadata);
        int[] chunks = ints(json, "chunks", shape.length, metadata);
        String dtype = json.path("dtype").asText("");
        Matcher m = V2_DTYPE.matcher(dtype);
        if (!m.matches() || m.group(1).equals("|") && !m.group(3).equals("1")) {
            throw bad(metadata, "unsupported dtype '" + dtype + "'; labels need an integer dtype such as <u8, >i4, |u1");
        }
        ElementType type = new ElementType(Integer.parseInt(m.group(3)), m.group(2).equals("i"),
                m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        String order = json.path("order").asText("C");
        if (!order.equals("C")) {
            throw bad(metadata, "unsupported order '" + order + "'; only C order is read");
        }
        JsonNode filters = json.path("filters");
        if (!filters.isMissingNode() && !filters.isNull() && !filters.isEmpty()) {
            throw bad(metadata, "unsupported filters " + filters + "; only arrays without filters are read");
        }
        List<Codec> codecs = new ArrayList<>();
        JsonNode compressor = json.path("compressor");
        if (!compressor.isMissingNode() && !compressor.isNull()) {
            try {
                codecs.add(Codec.v2(compressor));
            } catch (IllegalArgumentException e) {
                throw bad(metadata, e.getMessage());
            }
        }
        String separator = json.path("dimension_separator").asText(".");
        if (!separator.equals(".") && !separator.equals("/")) {
            throw bad(metadata, "unsupported dimension_separator '" + separator + "'; must be '.' or '/'");
        }
        return new ZarrArray(directory, metadata, 2, shape, chunks, type, fill(json.path("fill_value"), type, metadata),
                codecs, false, separator, Optional.empty());
    }

    /** Parses a v3 {@code zarr.json} whose node_type is array. */
    static ZarrArray v3(Path directory, Path metadata, JsonNode json) {
        requireInt(json, "zarr_format", 3, metadata);
        long[] shape = longs(json, "shape", metadata);
        String dataType = json.path("data_type").asText("");
        Matcher m = Pattern.compile("(u?)int(8|16|32|64)").matcher(dataType);
        if (!m.matches()) {
            throw bad(metadata, "unsupported data_type '" + dataType + "'; labels need int8..int64 or uint8..uint64");
        }
        int bytes = Integer.parseInt(m.group(2)) / 8;
        boolean signed = m.group(1).isEmpty();
        JsonNode grid = json.path("chunk_grid");
        if (!grid.path("name").asText("").equals("regular")) {
            throw bad(metadata, "unsupported chunk_grid " + grid + "; only 'regular' is read");
        }
        int[] chunks = ints(grid.path("configuration"), "chunk_shape", shape.length, metadata);
        JsonNode keys = json.path("chunk_key_encoding");
        String encoding = keys.path("name").asText("default");
        boolean v3Keys;
        String separator;
        switch (encoding) {
            case "default" -> {
                v3Keys = true;
                separator = keys.path("configuration").path("separator").asText("/");
            }
            case "v2" -> {
                v3Keys = false;
                separator = keys.path("configuration").path("separator").asText(".");
            }
            default -> throw bad(metadata, "unsupported chunk_key_encoding '" + encoding + "'; supported: default, v2");
        }
        if (!separator.equals(".") && !separator.equals("/")) {
            throw bad(metadata, "unsupported chunk key separator '" + separator + "'; must be '.' or '/'");
        }
        JsonNode transformers = json.path("storage_transformers");
        if (!transformers.isMissingNode() && !transformers.isEmpty()) {
            throw bad(metadata, "unsupported storage_transformers " + transformers);
        }
        JsonNode list = json.path("codecs");
        if (!list.isArray() || list.isEmpty()) {
            throw bad(metadata, "missing codecs");
        }
        Optional<Sharding> sharding = Optional.empty();
        Chain chain;
        if (list.get(0).path("name").asText("").equals("sharding_indexed")) {
            if (list.size() != 1) {
                throw bad(metadata, "unsupported codecs after sharding_indexed " + list);
            }
            JsonNode configuration = list.get(0).path("configuration");
            int[] inner = ints(configuration, "chunk_shape", shape.length, metadata);
            for (int d = 0; d < inner.length; d++) {
                if (chunks[d] % inner[d] != 0) {
                    throw bad(metadata, "sharding_indexed chunk_shape " + Arrays.toString(inner)
                            + " does not divide the shard shape " + Arrays.toString(chunks));
                }
            }
            chain = chain(configuration.path("codecs"), metadata, "sharding_indexed codecs");
            Chain index = chain(configuration.path("index_codecs"), metadata, "sharding_indexed index_codecs");
            if (!index.codecs().isEmpty() && !(index.codecs().size() == 1 && index.codecs().getFirst() == Codec.CRC32C)) {
                throw bad(metadata, "unsupported sharding_indexed index_codecs " + configuration.path("index_codecs")
                        + "; supported: bytes, optionally followed by crc32c");
            }
            String location = configuration.path("index_location").asText("end");
            if (!location.equals("end") && !location.equals("start")) {
                throw bad(metadata, "unsupported sharding_indexed index_location '" + location + "'");
            }
            sharding = Optional.of(new Sharding(inner, chain.codecs(), location.equals("end"),
                    !index.codecs().isEmpty(), index.order()));
        } else {
            chain = chain(list, metadata, "codecs");
        }
        ElementType type = new ElementType(bytes, signed, chain.order());
        return new ZarrArray(directory, metadata, 3, shape, chunks, type, fill(json.path("fill_value"), type, metadata),
                sharding.isPresent() ? List.of() : chain.codecs(), v3Keys, separator, sharding);
    }

    /**
     * The inner layout of a sharded array (Zarr v3 "sharding_indexed" codec): each chunk file (a
     * shard) holds inner chunks, each encoded on its own, and an index of (offset, nbytes) uint64
     * pairs per inner chunk in C order, both all ones for an empty inner chunk.
     *
     * @param innerChunks the inner chunk shape
     * @param codecs the inner chunks' bytes-to-bytes decoders, in decode order
     * @param indexAtEnd true if the index ends the shard, false if it starts it
     * @param indexCrc32c true if the index is followed by its CRC-32C
     * @param indexOrder the byte order of the index
     */
    record Sharding(int[] innerChunks, List<Codec> codecs, boolean indexAtEnd, boolean indexCrc32c,
            ByteOrder indexOrder) {
        /** @return the inner chunks per shard */
        int innerPerShard(int[] shardShape) {
            int n = 1;
            for (int d = 0; d < shardShape.length; d++) {
                n = Math.multiplyExact(n, shardShape[d] / innerChunks[d]);
            }
            return n;
        }
    }

    /** A v3 codec list: the bytes codec's byte order and the bytes-to-bytes decoders after it. */
    private record Chain(ByteOrder order, List<Codec> codecs) {
    }

    private static Chain chain(JsonNode list, Path metadata, String what) {
        if (!list.isArray() || list.isEmpty()) {
            throw bad(metadata, "missing " + what);
        }
        String firstName = list.get(0).path("name").asText("");
        if (!firstName.equals("bytes")) {
            throw bad(metadata, "unsupported codec '" + firstName + "' at the start of " + what
                    + "; it must start with bytes");
        }
        String endian = list.get(0).path("configuration").path("endian").asText("little");
        if (!endian.equals("little") && !endian.equals("big")) {
            throw bad(metadata, "unsupported bytes endian '" + endian + "' in " + what);
        }
        List<Codec> codecs = new ArrayList<>();
        for (int i = list.size() - 1; i >= 1; i--) {
            try {
                codecs.add(Codec.v3(list.get(i)));
            } catch (IllegalArgumentException e) {
                throw bad(metadata, e.getMessage() + " (in " + what + ")");
            }
        }
        return new Chain(endian.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, List.copyOf(codecs));
    }

    private static long fill(JsonNode node, ElementType type, Path metadata) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber()) {
            throw bad(metadata, "fill_value " + node + " is not an integer");
        }
        if (node.isBigInteger() && node.bigIntegerValue().bitLength() > 64) {
            throw bad(metadata, "fill_value " + node + " does not fit " + type.name());
        }
        long value = node.isBigInteger() ? node.bigIntegerValue().longValue() : node.longValue();
        if (!type.signed() && value < 0 && !node.isBigInteger()) {
            throw bad(metadata, "fill_value " + node + " is negative for unsigned " + type.name());
        }
        return value;
    }

    private static void requireInt(JsonNode json, String field, int expected, Path metadata) {
        if (json.path(field).asInt(-1) != expected) {
            throw bad(metadata, field + " is " + json.path(field) + ", expected " + expected);
        }
    }

    private static long[] longs(JsonNode json, String field, Path metadata) {
        JsonNode node = json.path(field);
        if (!node.isArray() || node.size() < 3) {
            throw bad(metadata, field + " " + node + " is not a list of at least 3 sizes (..., z, y, x)");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            if (!node.get(i).canConvertToLong() || node.get(i).longValue() < 1) {
                throw bad(metadata, field + " " + node + " holds a size that is not a positive integer");
            }
            values[i] = node.get(i).longValue();
        }
        for (int i = 0; i < values.length - 3; i++) {
            if (values[i] != 1) {
                throw bad(metadata, field + " " + node + " has a leading dimension larger than 1; a label volume has"
                        + " 3 dimensions (z, y, x) after any of size 1");
            }
        }
        return values;
    }

    private static int[] ints(JsonNode json, String field, int rank, Path metadata) {
        JsonNode node = json.path(field);
        if (!node.isArray() || node.size() != rank) {
            throw bad(metadata, field + " " + node + " does not have one size per dimension (" + rank + ")");
        }
        int[] values = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (!node.get(i).canConvertToInt() || node.get(i).intValue() < 1) {
                throw bad(metadata, field + " " + node + " holds a size that is not a positive integer");
            }
            values[i] = node.get(i).intValue();
        }
        return values;
    }

    static VolumeException bad(Path metadata, String problem) {
        return new VolumeException("Cannot open Zarr array " + metadata + ": " + problem);
    }

    @Override
    public String toString() {
        return "Zarr v" + zarrFormat + " array " + directory + " of shape " + Arrays.toString(shape) + ", chunks "
                + Arrays.toString(chunks) + ", " + type.name();
    }
}
