package org.pocaduck.volume.zarr;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decodes Blosc1 frames, the default compressor of zarr-python and numcodecs ({@code "id":
 * "blosc"}), with the JDK's zlib, lz4-java and zstd-jni (no Java Blosc artifact resolves here).
 *
 * <p>Format source: c-blosc 1.x, {@code README_HEADER.rst} (the 16-byte header: version,
 * versionlz, flags, typesize, then little-endian int32 nbytes, blocksize, cbytes; flags bit 0
 * byte shuffle, bit 1 memcpyed, bit 2 bit shuffle, bit 4 "don't split", bits 5-7 the compressor
 * format: 0 blosclz, 1 lz4/lz4hc, 2 snappy, 3 zlib, 4 zstd) and {@code blosc/blosc.c}
 * ({@code blosc_d}: after the header, one int32 start offset per block; each block holds
 * {@code nsplits} streams, each an int32 compressed size then the bytes, stored raw when that
 * size equals the stream's decoded size; a block is split into {@code typesize} streams unless
 * the flag says not to, the type is larger than 16 bytes, {@code blocksize / typesize < 128}, or it
 * is the last, partial block; byte shuffle is undone per block).
 *
 * <p>Supported: compressors blosclz, lz4, lz4hc, zlib and zstd; no shuffle, byte shuffle and bit
 * shuffle. Not supported (rejected with a clear error): snappy frames, Blosc2 frames.
 * Stateless, thread-safe.
 */
final class Blosc {
    private static final int HEADER = 16;
    private static final int MIN_BUFFERSIZE = 128;
    private static final int MAX_SPLITS = 16;
    private static final int DOSHUFFLE = 0x1;
    private static final int MEMCPYED = 0x2;
    private static final int DOBITSHUFFLE = 0x4;
    private static final int DONT_SPLIT = 0x10;
    private static final String[] FORMATS = {"blosclz", "lz4", "snappy", "zlib", "zstd"};
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();

    private Blosc() {
    }

    /**
     * Decodes one frame.
     *
     * @param frame the whole frame, header included
     * @return the decoded bytes
     * @throws CodecException if the frame is truncated, corrupt or uses an unsupported feature
     */
    static byte[] decode(byte[] frame) {
        if (frame.length < HEADER) {
            throw new CodecException("blosc frame of " + frame.length + " bytes is shorter than its 16-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        int version = in.get(0) & 0xFF;
        int flags = in.get(2) & 0xFF;
        int typesize = in.get(3) & 0xFF;
        int nbytes = in.getInt(4);
        int blocksize = in.getInt(8);
        int cbytes = in.getInt(12);
        if (version == 0 || version > 2) {
            throw new CodecException("blosc frame has format version " + version + "; Blosc1 frames (version 1 or 2)"
                    + " are supported");
        }
        if (cbytes != frame.length) {
            throw new CodecException("blosc header says the frame has " + cbytes + " bytes, the chunk has "
                    + frame.length + (cbytes > frame.length ? " (truncated)" : ""));
        }
        if (nbytes < 0 || typesize < 1) {
            throw new CodecException("blosc header is corrupt (nbytes " + nbytes + ", typesize " + typesize + ")");
        }
        byte[] out = new byte[nbytes];
        if (nbytes == 0) {
            return out;
        }
        if ((flags & MEMCPYED) != 0) {
            if (frame.length < HEADER + nbytes) {
                throw new CodecException("blosc frame stores " + nbytes + " bytes uncompressed but has only "
                        + (frame.length - HEADER) + " after its header");
            }
            System.arraycopy(frame, HEADER, out, 0, nbytes);
            return out;
        }
        if (blocksize <= 0) {
            throw new CodecException("blosc header is corrupt (blocksize " + blocksize + ")");
        }
        boolean shuffle = (flags & DOSHUFFLE) != 0 && typesize > 1;
        boolean bitshuffle = !shuffle && (flags & DOBITSHUFFLE) != 0;
        int format = (flags & 0xE0) >> 5;
        if (format != 0 && format != 1 && format != 3 && format != 4) {
            throw new CodecException("blosc frame uses the " + (format < FORMATS.length ? FORMATS[format] : "#" + format)
                    + " compressor, which this reader does not support; supported: blosclz, lz4, lz4hc, zlib, zstd");
        }
        int nblocks = nbytes / blocksize + (nbytes % blocksize == 0 ? 0 : 1);
        int leftover = nbytes % blocksize;
        if (HEADER + 4L * nblocks > frame.length) {
            throw new CodecException("blosc frame is truncated in its block table");
        }
        byte[] tmp = new byte[blocksize];
        for (int b = 0; b < nblocks; b++) {
            boolean leftoverBlock = b == nblocks - 1 && leftover > 0;
            int bsize = leftoverBlock ? leftover : blocksize;
            int start = in.getInt(HEADER + 4 * b);
            int nsplits = (flags & DONT_SPLIT) == 0 && typesize <= MAX_SPLITS && bsize / typesize >= MIN_BUFFERSIZE
                    && !leftoverBlock ? typesize : 1;
            int neblock = bsize / nsplits;
            byte[] into = shuffle || bitshuffle ? tmp : out;
            int intoOffset = shuffle || bitshuffle ? 0 : b * blocksize;
            int src = start;
            for (int s = 0; s < nsplits; s++) {
                if (src < HEADER || src + 4 > frame.length) {
                    throw new CodecException("blosc frame is truncated or corrupt in block " + b);
                }
                int csize = in.getInt(src);
                src += 4;
                if (csize < 0 || src + (long) csize > frame.length) {
                    throw new CodecException("blosc frame is truncated in block " + b + " (stream of " + csize
                            + " bytes, " + (frame.length - src) + " left)");
                }
                if (csize == neblock) {
                    System.arraycopy(frame, src, into, intoOffset, neblock);
                } else {
                    int got = decompress(format, frame, src, csize, into, intoOffset, neblock);
                    if (got != neblock) {
                        throw new CodecException("blosc block " + b + " decoded to " + got + " bytes, expected " + neblock);
                    }
                }
                src += csize;
                intoOffset += neblock;
            }
            if (shuffle) {
                unshuffle(typesize, bsize, tmp, out, b * blocksize);
            } else if (bitshuffle) {
                bitunshuffle(typesize, bsize, tmp, out, b * blocksize);
            }
        }
        return out;
    }

    /** Undoes byte shuffle of one block (c-blosc {@code shuffle-generic.h} {@code unshuffle_generic}). */
    private static void unshuffle(int typesize, int bsize, byte[] src, byte[] dest, int destOffset) {
        int elements = bsize / typesize;
        if (typesize == 8) {
            for (int j = 0; j < elements; j++) {
                long v = 0;
                for (int i = 7; i >= 0; i--) {
                    v = v << 8 | (src[i * elements + j] & 0xFFL);
                }
                LONG_LE.set(dest, destOffset + j * 8, v);
            }
        } else if (typesize == 4) {
            for (int j = 0; j < elements; j++) {
                INT_LE.set(dest, destOffset + j * 4, (src[j] & 0xFF) | (src[elements + j] & 0xFF) << 8
                        | (src[2 * elements + j] & 0xFF) << 16 | (src[3 * elements + j] & 0xFF) << 24);
            }
        } else {
            for (int j = 0; j < elements; j++) {
                for (int i = 0; i < typesize; i++) {
                    dest[destOffset + j * typesize + i] = src[i * elements + j];
                }
            }
        }
        int rest = bsize - elements * typesize;
        System.arraycopy(src, elements * typesize, dest, destOffset + elements * typesize, rest);
    }

    /**
     * Undoes bit shuffle of one block (c-blosc 1.x {@code shuffle.c} {@code bitunshuffle}, which
     * leaves a block whose element count is not a multiple of 8 as it is; the transposition is
     * bitshuffle's {@code bshuf_trans_bit_elem}: the stored block is {@code typesize * 8} rows, row
     * {@code byte * 8 + bit} (bit 0 least significant) holding that bit of every element, element
     * {@code i} at bit {@code i % 8} of the row's byte {@code i / 8}).
     */
    private static void bitunshuffle(int typesize, int bsize, byte[] src, byte[] dest, int destOffset) {
        int elements = bsize / typesize;
        if (elements % 8 != 0) {
            System.arraycopy(src, 0, dest, destOffset, bsize);
            return;
        }
        int rowBytes = elements / 8;
        java.util.Arrays.fill(dest, destOffset, destOffset + bsize, (byte) 0);
        for (int j = 0; j < typesize; j++) {
            for (int bit = 0; bit < 8; bit++) {
                int row = (j * 8 + bit) * rowBytes;
                for (int r = 0; r < rowBytes; r++) {
                    int bits = src[row + r] & 0xFF;
                    if (bits == 0) {
                        continue;
                    }
                    for (int k = 0; k < 8; k++) {
                        if ((bits & (1 << k)) != 0) {
                            int at = destOffset + (r * 8 + k) * typesize + j;
                            dest[at] = (byte) (dest[at] | (1 << bit));
                        }
                    }
                }
            }
        }
        System.arraycopy(src, elements * typesize, dest, destOffset + elements * typesize, bsize - elements * typesize);
    }

    /**
     * Decodes one blosclz stream (c-blosc 1.x {@code blosclz_impl.inc}, a FastLZ level-1
     * variant): a control byte below 32 starts a run of {@code ctrl + 1} literals; otherwise its top
     * 3 bits give the match length (7 = extended by following bytes until one is not 255), its low
     * 5 bits and the next byte the distance, where low bits 31 and byte 255 mean a 16-bit distance
     * follows (plus 8191); a match copies {@code length + 3} bytes from {@code distance + 1} back.
     *
     * @return the decoded length, or -1 if the stream is corrupt
     */
    private static int blosclz(byte[] src, int srcOffset, int srcLength, byte[] dest, int destOffset, int destLength) {
        int ip = srcOffset;
        int ipEnd = srcOffset + srcLength;
        int op = destOffset;
        int opEnd = destOffset + destLength;
        if (srcLength == 0) {
            return -1;
        }
        int ctrl = src[ip++] & 31;
        while (true) {
            if (ctrl >= 32) {
                int length = (ctrl >> 5) - 1;
                int distance = (ctrl & 31) << 8;
                if (length == 6) {
                    int code;
                    do {
                        if (ip + 1 >= ipEnd) {
                            return -1;
                        }
                        code = src[ip++] & 0xFF;
                        length += code;
                    } while (code == 255);
                } else if (ip >= ipEnd) {
                    return -1;
                }
                int code = src[ip++] & 0xFF;
                distance += code;
                if (code == 255 && (ctrl & 31) == 31) {
                    if (ip + 1 >= ipEnd) {
                        return -1;
                    }
                    distance = ((src[ip] & 0xFF) << 8 | (src[ip + 1] & 0xFF)) + 8191;
                    ip += 2;
                }
                length += 3;
                int from = op - distance - 1;
                if (op + length > opEnd || from < destOffset) {
                    return -1;
                }
                for (int i = 0; i < length; i++) {
                    dest[op + i] = dest[from + i];
                }
                op += length;
                if (ip >= ipEnd) {
                    break;
                }
                ctrl = src[ip++] & 0xFF;
            } else {
                int literals = ctrl + 1;
                if (op + literals > opEnd || ip + literals > ipEnd) {
                    return -1;
                }
                System.arraycopy(src, ip, dest, op, literals);
                op += literals;
                ip += literals;
                if (ip >= ipEnd) {
                    break;
                }
                ctrl = src[ip++] & 0xFF;
            }
        }
        return op - destOffset;
    }

    private static int decompress(int format, byte[] src, int srcOffset, int srcLength, byte[] dest, int destOffset,
            int destLength) {
        try {
            return switch (format) {
                case 0 -> blosclz(src, srcOffset, srcLength, dest, destOffset, destLength);
                case 1 -> LZ4.decompress(src, srcOffset, srcLength, dest, destOffset, destLength);
                case 3 -> {
                    Inflater inflater = new Inflater();
                    try {
                        inflater.setInput(src, srcOffset, srcLength);
                        int n = inflater.inflate(dest, destOffset, destLength);
                        if (!inflater.finished()) {
                            throw new CodecException("blosc zlib stream does not end where expected");
                        }
                        yield n;
                    } finally {
                        inflater.end();
                    }
                }
                default -> Math.toIntExact(Zstd.decompressByteArray(dest, destOffset, destLength, src, srcOffset,
                        srcLength));
            };
        } catch (LZ4Exception | DataFormatException | ZstdException e) {
            throw new CodecException("blosc " + FORMATS[format] + " stream is corrupt: " + e.getMessage(), e);
        }
    }
}
