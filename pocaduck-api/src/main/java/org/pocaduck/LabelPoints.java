package org.pocaduck;

import java.util.Objects;

/**
 * Points of one label in one block: one chunk of {@link Query#streamLabels(LabelSelection, int)}.
 * Immutable and safe to share between threads (the cloud is immutable).
 *
 * @param label a uint64 label carried in a {@code long} (see {@link Labels})
 * @param blockId the block id exactly as written
 * @param points N x D values, row-major, in the store's {@link PointSchema} order; N is at least 1
 */
public record LabelPoints(long label, String blockId, PointCloud points) {
    /** @throws NullPointerException if an argument is null */
    public LabelPoints {
        Objects.requireNonNull(blockId, "blockId is null");
        Objects.requireNonNull(points, "points is null");
    }
}
