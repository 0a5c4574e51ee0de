package org.pocaduck.migrate;

import java.util.Optional;

/**
 * What a {@link Migration} did.
 *
 * @param source the source store, as {@code storage_type:location}
 * @param destination the destination store
 * @param labels labels in the migration (those of earlier runs' shares included)
 * @param points points in the migration
 * @param blocks (label, block) pairs in the migration
 * @param shares shares the labels were cut into, each written by one destination worker id
 * @param sharesSkipped shares an earlier run of the same migration had already committed
 * @param pointsCopied points copied by this run (those of the skipped shares excluded)
 * @param workerPrefix the prefix of the destination worker ids, {@code migrate-<fingerprint>-}
 * @param seconds wall time of the copy and the destination's consolidation (verification
 *     excluded)
 * @param verification the verification of every migrated label, if asked for
 */
public record MigrationResult(String source, String destination, long labels, long points, long blocks,
        int shares, int sharesSkipped, long pointsCopied, String workerPrefix, double seconds,
        Optional<VerificationResult> verification) {
    /** @return points copied per second of this run's wall time */
    public double pointsPerSecond() {
        return seconds > 0 ? pointsCopied / seconds : 0;
    }
}
