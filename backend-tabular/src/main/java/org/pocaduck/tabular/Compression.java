package org.pocaduck.tabular;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.util.Locale;
import org.pocaduck.ConfigurationException;

/**
 * Compression of {@link PayloadEncoding#PACKED} payloads: {@code zstd} (zstd-jni, the default) or
 * {@code none}. The row's point count and D give the decompressed size, so no frame header is
 * needed beyond zstd's own.
 */
enum Compression {
    NONE,
    ZSTD;

    /** zstd level: 1 is within a few percent of level 3's size on voxel coordinates, and faster. */
    private static final int ZSTD_LEVEL = 1;

    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the largest stored size of {@code rawBytes} bytes */
    long bound(long rawBytes) {
        return this == ZSTD ? Zstd.compressBound(rawBytes) : rawBytes;
    }

    byte[] compress(byte[] raw) {
        return this == ZSTD ? Zstd.compress(raw, ZSTD_LEVEL) : raw;
    }

    /**
     * Decompresses payloads one after another with one zstd context: creating a context per
     * payload cost as much as decompressing it. One thread at a time; the owner closes it, which
     * frees the native context.
     */
    static final class Decompressor implements AutoCloseable {
        private ZstdDecompressCtx zstd;

        /**
         * @param compression how the payload was compressed
         * @param stored the stored bytes
         * @param rawBytes the decompressed size
         * @throws IllegalStateException if the stored bytes do not decompress to that size
         */
        byte[] decompress(Compression compression, byte[] stored, int rawBytes) {
            if (compression == NONE) {
                if (stored.length != rawBytes) {
                    throw new IllegalStateException("payload holds " + stored.length + " bytes, expected " + rawBytes);
                }
                return stored;
            }
            if (zstd == null) {
                zstd = new ZstdDecompressCtx();
            }
            byte[] raw = new byte[rawBytes];
            int n;
            try {
                n = zstd.decompress(raw, stored);
            } catch (RuntimeException e) {
                throw new IllegalStateException("zstd payload of " + stored.length + " bytes does not decompress to "
                        + rawBytes + " bytes: " + e.getMessage(), e);
            }
            if (n != rawBytes) {
                throw new IllegalStateException("zstd payload of " + stored.length + " bytes decompresses to " + n
                        + " bytes, expected " + rawBytes);
            }
            return raw;
        }

        @Override
        public void close() {
            if (zstd != null) {
                zstd.close();
                zstd = null;
            }
        }
    }

    static Compression parse(String key, String value) {
        for (Compression c : values()) {
            if (c.optionValue().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new ConfigurationException("Invalid option '" + key + "' = '" + value
                + "' for storage type 'tabular': it is not one of zstd, none");
    }
}
