package org.pocaduck.migrate;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.pocaduck.PointCloud;

/**
 * What verification compares of one label on one side: its point count, its block ids in order,
 * and an order-independent checksum of its points: the sum (mod 2^64) of one 64-bit hash per
 * point, murmur3_128 (Guava) of the 8-byte hash of the point's block id followed by its D values
 * (little-endian). A sum counts repeats and
 * ignores order, so two stores agree exactly when they hold the same multiset of (block, point)
 * up to a hash collision.
 *
 * @param points the number of points read
 * @param blocks the distinct block ids in {@link String#compareTo} order
 * @param checksum the sum of the per-point hashes
 */
record LabelDigest(long points, List<String> blocks, long checksum) {
    private static final HashFunction HASH = Hashing.murmur3_128();
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
        /** The block's hash, then the point's D values: what one point hash reads. */
        private ByteBuffer point;

        void add(String blockId, PointCloud cloud) {
            if (blocks.isEmpty() || !blocks.getLast().equals(blockId)) {
                blocks.add(blockId);
                blockHash = HASH.hashString(blockId, StandardCharsets.UTF_8).asLong();
            }
            int d = cloud.dimensions();
            if (point == null || point.capacity() != 8 * (d + 1)) {
                point = ByteBuffer.allocate(8 * (d + 1)).order(ByteOrder.LITTLE_ENDIAN);
            }
            for (int i = 0; i < cloud.size(); i++) {
                point.clear();
                point.putLong(blockHash);
                for (int j = 0; j < d; j++) {
                    point.putLong(cloud.get(i, j));
                }
                checksum += HASH.hashBytes(point.array()).asLong();
            }
            points += cloud.size();
        }

        LabelDigest build() {
            return new LabelDigest(points, List.copyOf(blocks), checksum);
        }
    }
}
