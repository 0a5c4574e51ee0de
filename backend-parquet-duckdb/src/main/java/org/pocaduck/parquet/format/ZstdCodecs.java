package org.pocaduck.parquet.format;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet page compression through zstd-jni directly. parquet-java's own codec factory goes
 * through Hadoop's codec pool and builds a Hadoop configuration for every reader, which cost tens
 * of milliseconds per query; this one is stateless and thread-safe, and {@link #release()} has
 * nothing to release. Data files of this backend are always ZSTD.
 */
public final class ZstdCodecs implements CompressionCodecFactory {
    private final int level;

    /** @param level the ZSTD level of what it compresses (1 to 22) */
    public ZstdCodecs(int level) {
        this.level = level;
    }

    /** @return codecs for reading only: the level plays no part in decompression */
    public static ZstdCodecs forReading() {
        return new ZstdCodecs(Zstd.defaultCompressionLevel());
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        requireZstd(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(Zstd.compress(bytes.toInputStream().readAllBytes(), level));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.ZSTD;
            }

            @Override
            public void release() {
                // Stateless.
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        requireZstd(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                byte[] out = new byte[uncompressedSize];
                long n = Zstd.decompress(out, bytes.toByteArray());
                check(n, uncompressedSize);
                return BytesInput.from(out);
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.duplicate().get(in);
                byte[] out = new byte[uncompressedSize];
                check(Zstd.decompress(out, in), uncompressedSize);
                output.put(out);
            }

            @Override
            public void release() {
                // Stateless.
            }
        };
    }

    private static void check(long result, int expected) throws IOException {
        if (Zstd.isError(result)) {
            throw new IOException("corrupt ZSTD page: " + Zstd.getErrorName(result));
        }
        if (result != expected) {
            throw new IOException("corrupt ZSTD page: " + result + " bytes where the page header says " + expected);
        }
    }

    private static void requireZstd(CompressionCodecName codec) {
        if (codec != CompressionCodecName.ZSTD) {
            throw new IllegalArgumentException("Cannot handle Parquet codec " + codec
                    + ": parquet-duckdb data files are ZSTD-compressed");
        }
    }

    @Override
    public void release() {
        // Stateless.
    }
}
