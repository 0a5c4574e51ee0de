package org.pocaduck.volume.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * One bytes-to-bytes Zarr codec (a v2 {@code compressor} or a v3 codec after {@code bytes}),
 * decoding only. Implementations are stateless and thread-safe.
 *
 * <p>Sources: Zarr storage specification v2 ("compressor", numcodecs ids {@code blosc},
 * {@code zstd}, {@code gzip}, {@code zlib}) and v3 ("Codecs": {@code blosc}, {@code gzip},
 * {@code zstd}, {@code crc32c}; zarr-python writes zlib as {@code numcodecs.zlib}).
 */
interface Codec {
    /**
     * @param encoded the stored bytes
     * @param expected the decoded size if known, else -1
     * @return the decoded bytes
     * @throws CodecException if the data is corrupt or truncated
     */
    byte[] decode(byte[] encoded, int expected);

    /** @return the codec's name for messages */
    String name();

    /** Blosc1 frames. */
    Codec BLOSC = new Codec() {
        @Override
        public byte[] decode(byte[] encoded, int expected) {
            return Blosc.decode(encoded);
        }

        @Override
        public String name() {
            return "blosc";
        }
    };

    /** Zstandard frames (zstd-jni). */
    Codec ZSTD = new Codec() {
        @Override
        public byte[] decode(byte[] encoded, int expected) {
            try {
                long size = Zstd.getFrameContentSize(encoded);
                if (size >= 0 && size <= Integer.MAX_VALUE - 8) {
                    if (expected >= 0 && size != expected) {
                        throw new CodecException("zstd frame holds " + size + " bytes, expected " + expected);
                    }
                    byte[] out = new byte[(int) size];
                    long got = Zstd.decompressByteArray(out, 0, out.length, encoded, 0, encoded.length);
                    if (got != size) {
                        throw new CodecException("zstd frame decoded to " + got + " bytes, its header says " + size);
                    }
                    return out;
                }
                return Codec.readAll(new ZstdInputStream(new ByteArrayInputStream(encoded)), "zstd");
            } catch (ZstdException | IOException e) {
                throw new CodecException("zstd data is corrupt or truncated: " + e.getMessage(), e);
            }
        }

        @Override
        public String name() {
            return "zstd";
        }
    };

    /** gzip streams (JDK). */
    Codec GZIP = new Codec() {
        @Override
        public byte[] decode(byte[] encoded, int expected) {
            try {
                return Codec.readAll(new GZIPInputStream(new ByteArrayInputStream(encoded)), "gzip");
            } catch (IOException e) {
                throw new CodecException("gzip data is corrupt or truncated: " + e.getMessage(), e);
            }
        }

        @Override
        public String name() {
            return "gzip";
        }
    };

    /** zlib streams (JDK). */
    Codec ZLIB = new Codec() {
        @Override
        public byte[] decode(byte[] encoded, int expected) {
            return Codec.readAll(new InflaterInputStream(new ByteArrayInputStream(encoded)), "zlib");
        }

        @Override
        public String name() {
            return "zlib";
        }
    };

    /** The v3 crc32c codec: the data followed by its little-endian CRC-32C, checked here. */
    Codec CRC32C = new Codec() {
        @Override
        public byte[] decode(byte[] encoded, int expected) {
            if (encoded.length < 4) {
                throw new CodecException("crc32c data of " + encoded.length + " bytes has no checksum");
            }
            CRC32C crc = new CRC32C();
            crc.update(encoded, 0, encoded.length - 4);
            int stored = ByteBuffer.wrap(encoded, encoded.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if ((int) crc.getValue() != stored) {
                throw new CodecException("crc32c checksum mismatch (data corrupt)");
            }
            return java.util.Arrays.copyOf(encoded, encoded.length - 4);
        }

        @Override
        public String name() {
            return "crc32c";
        }
    };

    private static byte[] readAll(InputStream in, String codec) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CodecException(codec + " data is corrupt or truncated: " + e.getMessage(), e);
        }
    }

    /**
     * A v2 {@code compressor} object.
     *
     * @throws IllegalArgumentException naming an unknown codec id or an unsupported setting
     */
    static Codec v2(JsonNode compressor) {
        String id = compressor.path("id").asText("");
        return switch (id) {
            case "blosc" -> {
                requireBloscCname(compressor.path("cname").asText("lz4"));
                yield BLOSC;
            }
            case "zstd" -> ZSTD;
            case "gzip" -> GZIP;
            case "zlib" -> ZLIB;
            default -> throw new IllegalArgumentException("unknown compressor id '" + id
                    + "'; supported: blosc, zstd, gzip, zlib, null");
        };
    }

    /**
     * A v3 bytes-to-bytes codec object.
     *
     * @throws IllegalArgumentException naming an unknown codec or an unsupported setting
     */
    static Codec v3(JsonNode codec) {
        String name = codec.path("name").asText("");
        JsonNode configuration = codec.path("configuration");
        return switch (name) {
            case "blosc" -> {
                requireBloscCname(configuration.path("cname").asText("lz4"));
                yield BLOSC;
            }
            case "zstd", "numcodecs.zstd" -> ZSTD;
            case "gzip", "numcodecs.gzip" -> GZIP;
            case "zlib", "numcodecs.zlib" -> ZLIB;
            case "crc32c" -> CRC32C;
            default -> throw new IllegalArgumentException("unknown or unsupported codec '" + name
                    + "'; supported after bytes: blosc, zstd, gzip, zlib, crc32c");
        };
    }

    private static void requireBloscCname(String cname) {
        switch (cname.toLowerCase(Locale.ROOT)) {
            case "blosclz", "lz4", "lz4hc", "zlib", "zstd" -> {
            }
            default -> throw new IllegalArgumentException("blosc compressor '" + cname
                    + "' is not supported; supported: blosclz, lz4, lz4hc, zlib, zstd");
        }
    }
}
