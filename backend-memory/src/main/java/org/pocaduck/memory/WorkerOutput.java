package org.pocaduck.memory;

import java.util.List;
import java.util.Map;

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
     * @param values N x D values, row-major; never changed
     * @param dimensions D
     */
    record Segment(String blockId, long[] values, int dimensions) {
        int size() {
            return values.length / dimensions;
        }
    }
}
