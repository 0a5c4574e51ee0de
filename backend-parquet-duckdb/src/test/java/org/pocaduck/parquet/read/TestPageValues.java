package org.pocaduck.parquet.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The run-at-a-time page decoders against pages written by parquet-java's RLE / bit-packing
 * hybrid encoder: every bit width a dictionary can need, repeated and bit-packed runs mixed,
 * value counts that end inside a group of 8, random interleavings of skips and strided reads;
 * and pages cut short fail with the byte where they end.
 */
class TestPageValues {

    /** Ids in runs of one repeated id and stretches of random ids, as label-sorted coordinates give. */
    private static int[] ids(SplittableRandom random, int width, int count) {
        int bound = 1 << width;
        int[] ids = new int[count];
        int i = 0;
        while (i < count) {
            int n = Math.min(count - i, 1 + random.nextInt(random.nextBoolean() ? 300 : 20));
            if (random.nextBoolean()) {
                Arrays.fill(ids, i, i + n, random.nextInt(bound));
            } else {
                for (int j = i; j < i + n; j++) {
                    ids[j] = random.nextInt(bound);
                }
            }
            i += n;
        }
        return ids;
    }

    /** A dictionary-encoded page's values as parquet-java writes them: the bit width, then the hybrid runs. */
    private static byte[] page(int width, int[] ids) throws IOException {
        try (RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(width, 64, 1 << 20,
                new HeapByteBufferAllocator())) {
            for (int id : ids) {
                encoder.writeInt(id);
            }
            byte[] runs = encoder.toBytes().toByteArray();
            byte[] page = new byte[runs.length + 1];
            page[0] = (byte) width;
            System.arraycopy(runs, 0, page, 1, runs.length);
            return page;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 5, 7, 8, 9, 12, 16, 17, 20})
    void dictionaryIdsDecodeEveryRunOfEveryWidth(int width) throws IOException {
        SplittableRandom random = new SplittableRandom(31L * width + 7);
        long[] dictionary = new long[1 << width];
        for (int i = 0; i < dictionary.length; i++) {
            dictionary[i] = random.nextLong();
        }
        for (int count : new int[] {1, 7, 8, 9, 20_000, 12_345}) {
            int[] ids = ids(random, width, count);
            byte[] page = page(width, ids);
            // Read whole.
            long[] whole = new long[count];
            new PageValues.DictionaryIds(page, 0, page.length, dictionary).read(count, whole, 0, 1);
            for (int i = 0; i < count; i++) {
                assertThat(whole[i]).as("width %d, value %d of %d", width, i, count).isEqualTo(dictionary[ids[i]]);
            }
            // Random skips and strided reads, the rows read landing in every third slot.
            for (int trial = 0; trial < 20; trial++) {
                PageValues values = new PageValues.DictionaryIds(page, 0, page.length, dictionary);
                int stride = 3;
                long[] out = new long[count * stride + 2];
                long[] expected = new long[out.length];
                int row = 0;
                int at = 2;
                while (row < count) {
                    int n = Math.min(count - row, random.nextInt(random.nextBoolean() ? 5 : 400));
                    if (random.nextBoolean()) {
                        values.skip(n);
                    } else {
                        values.read(n, out, at, stride);
                        for (int i = 0; i < n; i++) {
                            expected[at + i * stride] = dictionary[ids[row + i]];
                        }
                        at += n * stride;
                    }
                    row += n;
                }
                assertThat(out).as("width %d, %d values, trial %d", width, count, trial).isEqualTo(expected);
            }
        }
    }

    @Test
    void aDictionaryPageCutShortFailsWhereItEnds() throws IOException {
        int[] ids = ids(new SplittableRandom(5), 9, 5_000);
        long[] dictionary = new long[1 << 9];
        byte[] page = page(9, ids);
        PageValues cut = new PageValues.DictionaryIds(page, 0, page.length / 2, dictionary);
        assertThatThrownBy(() -> cut.read(5_000, new long[5_000], 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a dictionary-encoded page ends inside a");
        assertThatThrownBy(() -> new PageValues.DictionaryIds(new byte[] {33, 0}, 0, 2, dictionary))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a dictionary-encoded page of bit width 33 (at most 32)");
    }

    @Test
    void plainValuesSkipAndReadLittleEndianLongs() {
        long[] values = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 0x0102030405060708L, 42};
        ByteBuffer bytes = ByteBuffer.allocate(3 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(3);
        for (long v : values) {
            bytes.putLong(v);
        }
        byte[] page = bytes.array();
        PageValues plain = new PageValues.Plain(page, 3, page.length);
        long[] out = new long[8];
        plain.read(2, out, 0, 2);
        plain.skip(3);
        plain.read(2, out, 1, 2);
        assertThat(out).containsExactly(Long.MIN_VALUE, 0x0102030405060708L, -1, 42, 0, 0, 0, 0);
        assertThatThrownBy(() -> new PageValues.Plain(page, 3, page.length - 4).read(7, new long[7], 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a PLAIN page of 6 more values was asked for 7");
    }
}
