package org.pocaduck.migrate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.pocaduck.PointCloud;

/**
 * What verification compares of one label on one side: its point count, its block ids in order,
 * and an order-independent checksum of its points: the sum (mod 2^64) of one 64-bit hash per
 * point, XXH64 (lz4-java's pure-Java implementation) of the point's D values, little-endian,
 * seeded with the hash of its block id, XXH64 (seed 0) of the id's UTF-8 bytes. XXH64 hashes a
 * point several times faster than Guava's streaming murmur3_128, which took most of a
 * verification's client time, and the block's hash as the seed rather than 8 more bytes of input
 * keeps a point of x, y, z under XXH64's 32-byte stripe, on its shorter path. A sum counts repeats and
 * ignores order, so two stores agree exactly when they hold the same multiset of (block, point)
 * up to a hash collision.
 *
 * @param points the number of points read
 * @param blocks the distinct block ids in {@link String#compareTo} order
 * @param checksum the sum of the per-point hashes
 */
record LabelDigest(long points, List<String> blocks, long checksum) {
    /** Thread-safe and stateless (lz4-java). */
    private static final XXHash64 HASH = XXHashFactory.fastestJavaInstance().hash64();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Points per chunk read: bounds memory whatever the size of a label. */
    static final int CHUNK_POINTS = 1 << 16;

    /**
     * Builds one label's digest from its chunks, fed block by block in block-id order (a block's
     * chunks consecutive). Not thread-safe.
     */
    static final class Builder {
        private long points;
        private long checksum;
        private final List<String> blocks = new ArrayList<>();
        private long blockHash;
        /** The point's D values: what one point hash reads. */
        private byte[] point = new byte[0];

        void add(String blockId, PointCloud cloud) {
            if (blocks.isEmpty() || !blocks.getLast().equals(blockId)) {
                blocks.add(blockId);
                byte[] utf8 = blockId.getBytes(StandardCharsets.UTF_8);
                blockHash = HASH.hash(utf8, 0, utf8.length, 0);
            }
            int d = cloud.dimensions();
            int length = Long.BYTES * d;
            if (point.length != length) {
                point = new byte[length];
            }
            byte[] bytes = point;
            long seed = blockHash;
            long sum = 0;
            for (int i = 0; i < cloud.size(); i++) {
                for (int j = 0; j < d; j++) {
                    LONGS.set(bytes, Long.BYTES * j, cloud.get(i, j));
                }
                sum += HASH.hash(bytes, 0, length, seed);
            }
            checksum += sum;
            points += cloud.size();
        }

        LabelDigest build() {
            return new LabelDigest(points, List.copyOf(blocks), checksum);
        }
    }
}
