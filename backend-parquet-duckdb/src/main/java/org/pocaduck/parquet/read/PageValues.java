package org.pocaduck.parquet.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * The INT64 values of one data page, taken in row order a run at a time: {@link #read} writes
 * the next {@code n} values into every {@code stride}-th slot of an array, {@link #skip} passes
 * over them. Not thread-safe: one instance per page and reader.
 *
 * <p>The page readers of this backend's own files decode the two encodings its writer produces
 * directly from the page bytes, whole runs at a time ({@link DictionaryIds}, {@link Plain}); any
 * other encoding goes through parquet-java's per-value reader ({@link PerValue}).
 */
sealed interface PageValues permits PageValues.DictionaryIds, PageValues.Plain, PageValues.PerValue {
    /** Passes over the next {@code n} values. */
    void skip(int n);

    /** Writes the next {@code n} values to {@code out[at]}, {@code out[at + stride]}, and so on. */
    void read(int n, long[] out, int at, int stride);

    /**
     * Dictionary ids of a data page (encodings PLAIN_DICTIONARY and RLE_DICTIONARY): one byte of
     * bit width, then runs of the RLE / bit-packing hybrid, each a ULEB128 header whose low bit
     * says which kind: a repeated run (header / 2 values, the id in ceil(width / 8) little-endian
     * bytes) or a bit-packed run (header / 2 groups of 8 ids, LSB first), as the Parquet format's
     * Encodings.md defines them. A repeated run is written with one dictionary lookup for all its
     * values; bit-packed groups are unpacked with parquet-java's {@link BytePacker}.
     */
    final class DictionaryIds implements PageValues {
        private final byte[] page;
        private final int end;
        private final int width;
        private final BytePacker packer;
        private final long[] dictionary;
        private int pos;
        /** Values left in the current run. */
        private int left;
        /** Whether the current run is a repeated one, and its value. */
        private boolean repeated;
        private long value;
        /** The current bit-packed run: where its next group starts, the group unpacked, and the next id in it. */
        private int groupAt;
        private final int[] ids = new int[8];
        private int idAt = 8;
        private final int[] ids32 = new int[32];

        /**
         * @param page the decompressed page bytes
         * @param from where the values start (after the levels, of which required columns have none)
         * @param to the end of the values
         * @param dictionary the column chunk's dictionary, indexed by id
         * @throws IllegalArgumentException if the bit width is over 32
         */
        DictionaryIds(byte[] page, int from, int to, long[] dictionary) {
            if (from >= to) {
                throw new IllegalArgumentException("a dictionary-encoded page without its bit width");
            }
            this.page = page;
            this.end = to;
            this.width = page[from] & 0xFF;
            if (width > 32) {
                throw new IllegalArgumentException("a dictionary-encoded page of bit width " + width
                        + " (at most 32)");
            }
            this.packer = Packer.LITTLE_ENDIAN.newBytePacker(width);
            this.dictionary = dictionary;
            this.pos = from + 1;
        }

        private void nextRun() {
            int header = 0;
            for (int shift = 0;; shift += 7) {
                if (pos >= end || shift > 28) {
                    throw new IllegalArgumentException("a dictionary-encoded page ends inside a run header at byte "
                            + pos);
                }
                int b = page[pos++];
                header |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if ((header & 1) == 0) {
                int bytes = (width + 7) >>> 3;
                if (pos + bytes > end) {
                    throw new IllegalArgumentException("a dictionary-encoded page ends inside a repeated run at byte "
                            + pos);
                }
                int id = 0;
                for (int i = 0; i < bytes; i++) {
                    id |= (page[pos++] & 0xFF) << (8 * i);
                }
                repeated = true;
                value = dictionary[id];
                left = header >>> 1;
            } else {
                int groups = header >>> 1;
                repeated = false;
                groupAt = pos;
                idAt = 8;
                left = groups * 8;
                // A writer may end the last run short of its padding; the missing bytes read as 0.
                pos = (int) Math.min(end, pos + (long) groups * width);
            }
        }

        /** Unpacks the next group of 8 ids of the current bit-packed run. */
        private void unpack() {
            if (groupAt + width <= end) {
                packer.unpack8Values(page, groupAt, ids, 0);
            } else if (groupAt >= end && width > 0) {
                throw new IllegalArgumentException("a dictionary-encoded page ends inside a bit-packed run at byte "
                        + groupAt);
            } else {
                byte[] padded = Arrays.copyOfRange(page, groupAt, groupAt + width);
                Arrays.fill(padded, Math.max(0, end - groupAt), width, (byte) 0);
                packer.unpack8Values(padded, 0, ids, 0);
            }
            groupAt += width;
            idAt = 0;
        }

        @Override
        public void skip(int n) {
            while (n > 0) {
                if (left == 0) {
                    nextRun();
                    continue;
                }
                int take = Math.min(n, left);
                if (!repeated) {
                    // Whole groups are passed over without unpacking them.
                    int inGroup = 8 - idAt;
                    if (take <= inGroup) {
                        idAt += take;
                    } else {
                        int rest = take - inGroup;
                        groupAt += (rest >>> 3) * width;
                        idAt = 8;
                        if ((rest & 7) != 0) {
                            unpack();
                            idAt = rest & 7;
                        }
                    }
                }
                left -= take;
                n -= take;
            }
        }

        @Override
        public void read(int n, long[] out, int at, int stride) {
            while (n > 0) {
                if (left == 0) {
                    nextRun();
                    continue;
                }
                int take = Math.min(n, left);
                if (repeated) {
                    long v = value;
                    for (int i = 0; i < take; i++, at += stride) {
                        out[at] = v;
                    }
                } else {
                    at = readPacked(take, out, at, stride);
                }
                left -= take;
                n -= take;
            }
        }

        /**
         * Writes the next {@code take} ids of the current bit-packed run (at most what is left of
         * it) as dictionary values: the rest of the group in hand, then whole groups unpacked 32
         * or 8 ids at a time straight from the page, then the start of the next group.
         *
         * @return the slot after the last written
         */
        private int readPacked(int take, long[] out, int at, int stride) {
            long[] dict = dictionary;
            int[] group = ids;
            int i = Math.min(8 - idAt, take);
            for (int j = 0; j < i; j++, at += stride) {
                out[at] = dict[group[idAt + j]];
            }
            idAt += i;
            int[] wide = ids32;
            while (take - i >= 32 && groupAt + 4 * width <= end) {
                packer.unpack32Values(page, groupAt, wide, 0);
                groupAt += 4 * width;
                for (int j = 0; j < 32; j++, at += stride) {
                    out[at] = dict[wide[j]];
                }
                i += 32;
            }
            while (take - i >= 8 && groupAt + width <= end) {
                packer.unpack8Values(page, groupAt, group, 0);
                groupAt += width;
                for (int j = 0; j < 8; j++, at += stride) {
                    out[at] = dict[group[j]];
                }
                i += 8;
            }
            while (i < take) {
                unpack();
                int k = Math.min(8, take - i);
                for (int j = 0; j < k; j++, at += stride) {
                    out[at] = dict[group[j]];
                }
                idAt = k;
                i += k;
            }
            return at;
        }
    }

    /** PLAIN INT64 values: 8 little-endian bytes each. */
    final class Plain implements PageValues {
        private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private final byte[] page;
        private final int end;
        private int pos;

        /**
         * @param page the decompressed page bytes
         * @param from where the values start
         * @param to the end of the values
         */
        Plain(byte[] page, int from, int to) {
            this.page = page;
            this.pos = from;
            this.end = to;
        }

        private void need(int n) {
            if (pos + 8L * n > end) {
                throw new IllegalArgumentException("a PLAIN page of " + (end - pos) / 8 + " more values was asked for "
                        + n);
            }
        }

        @Override
        public void skip(int n) {
            need(n);
            pos += 8 * n;
        }

        @Override
        public void read(int n, long[] out, int at, int stride) {
            need(n);
            for (int i = 0; i < n; i++, at += stride, pos += 8) {
                out[at] = (long) LONG_LE.get(page, pos);
            }
        }
    }

    /** Any encoding, through parquet-java's reader for it: one call per value. */
    final class PerValue implements PageValues {
        private final ValuesReader values;
        private final long[] dictionary;

        /**
         * @param values the page's reader, initialised
         * @param dictionary the column chunk's dictionary if the reader returns dictionary ids, else null
         */
        PerValue(ValuesReader values, long[] dictionary) {
            this.values = values;
            this.dictionary = dictionary;
        }

        @Override
        public void skip(int n) {
            values.skip(n);
        }

        @Override
        public void read(int n, long[] out, int at, int stride) {
            if (dictionary != null) {
                for (int i = 0; i < n; i++, at += stride) {
                    out[at] = dictionary[values.readValueDictionaryId()];
                }
            } else {
                for (int i = 0; i < n; i++, at += stride) {
                    out[at] = values.readLong();
                }
            }
        }
    }
}
