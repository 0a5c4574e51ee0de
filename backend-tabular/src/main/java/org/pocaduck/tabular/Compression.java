package org.pocaduck.tabular;

import com.github.luben.zstd.Zstd;
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
     * @param stored the stored bytes
     * @param rawBytes the decompressed size
     * @throws IllegalStateException if the stored bytes do not decompress to that size
     */
    byte[] decompress(byte[] stored, int rawBytes) {
        if (this == NONE) {
            if (stored.length != rawBytes) {
                throw new IllegalStateException("payload holds " + stored.length + " bytes, expected " + rawBytes);
            }
            return stored;
        }
        byte[] raw = new byte[rawBytes];
        long n = Zstd.decompress(raw, stored);
        if (Zstd.isError(n) || n != rawBytes) {
            throw new IllegalStateException("zstd payload of " + stored.length + " bytes does not decompress to "
                    + rawBytes + " bytes" + (Zstd.isError(n) ? ": " + Zstd.getErrorName(n) : ""));
        }
        return raw;
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
