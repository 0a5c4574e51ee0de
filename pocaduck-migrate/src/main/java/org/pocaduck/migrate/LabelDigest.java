package org.pocaduck.migrate;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.pocaduck.BlockChunks;
import org.pocaduck.BlockPoints;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;

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
    /** Points per chunk read: bounds memory whatever the size of the label. */
    static final int CHUNK_POINTS = 1 << 16;

    /** Reads the label block by block. */
    static LabelDigest of(Query query, long label) {
        long points = 0;
        long checksum = 0;
        List<String> blocks = new ArrayList<>();
        long blockHash = 0;
        ByteBuffer point = null; // the block's hash, then the point's D values: what one point hash reads
        try (BlockChunks chunks = query.streamBlocks(label, CHUNK_POINTS)) {
            while (chunks.hasNext()) {
                BlockPoints chunk = chunks.next();
                if (blocks.isEmpty() || !blocks.getLast().equals(chunk.blockId())) {
                    blocks.add(chunk.blockId());
                    blockHash = HASH.hashString(chunk.blockId(), StandardCharsets.UTF_8).asLong();
                }
                PointCloud cloud = chunk.points();
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
        }
        return new LabelDigest(points, List.copyOf(blocks), checksum);
    }
}
