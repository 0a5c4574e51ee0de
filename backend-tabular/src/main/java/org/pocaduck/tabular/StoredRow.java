package org.pocaduck.tabular;

/**
 * One row of the points table: up to a payload limit's worth of one label's points in one block.
 *
 * @param label the uint64 label's 64 bits, stored as a signed BIGINT
 * @param blockId the block id, as written
 * @param chunk the row's number among the worker's rows of this (label, block), from 0 in write order
 * @param pointCount N, the points in the row
 * @param dimensions D
 * @param payloadBytes the payload's stored size (packed bytes, or 8 per array value)
 * @param workerId the worker that wrote it
 * @param generation the worker run that wrote it (see {@link Generations})
 * @param payload the stored payload: {@code byte[]} for packed, {@code long[]} (N x D values,
 *     row-major) for array
 */
record StoredRow(long label, String blockId, int chunk, int pointCount, int dimensions, int payloadBytes,
        String workerId, long generation, Object payload) {
}
