package org.pocaduck;

import java.util.Objects;

/**
 * Points of one label in one block: one chunk of {@link Query#streamBlocks(long, int)}.
 *
 * <p>Immutable and safe to share between threads (the cloud is immutable).
 *
 * @param blockId the block id exactly as written (the scanner writes the block's grid
 *     coordinates {@code x_y_z}, x first)
 * @param points N x D values, row-major, in the store's {@link PointSchema} order; N is at least
 *     1
 */
public record BlockPoints(String blockId, PointCloud points) {
    /** @throws NullPointerException if an argument is null */
    public BlockPoints {
        Objects.requireNonNull(blockId, "blockId is null");
        Objects.requireNonNull(points, "points is null");
    }
}
