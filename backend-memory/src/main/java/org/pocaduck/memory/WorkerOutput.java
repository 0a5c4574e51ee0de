package org.pocaduck.memory;

import java.util.List;
import java.util.Map;
import org.pocaduck.PointCloud;

/**
 * One worker's committed output: for each label, its segments in write order. Immutable.
 *
 * @param segments by label
 */
record WorkerOutput(Map<Long, List<Segment>> segments) {
    /**
     * Points of one label in one block, as one worker buffered them.
     *
     * @param blockId the block id
     * @param points the points, N x D
     */
    record Segment(String blockId, PointCloud points) {
        int size() {
            return points.size();
        }

        int dimensions() {
            return points.dimensions();
        }
    }
}
