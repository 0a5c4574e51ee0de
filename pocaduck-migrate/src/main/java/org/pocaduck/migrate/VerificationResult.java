package org.pocaduck.migrate;

import java.util.List;

/**
 * What {@link Verification} found.
 *
 * @param a the first store, as {@code storage_type:location}
 * @param b the second store
 * @param labels labels compared (the union of both sides, or of the selection)
 * @param points points read on side A
 * @param mismatchCount labels that differ
 * @param mismatches the first of them in unsigned label order, at most the reporting limit
 * @param seconds wall time
 */
public record VerificationResult(String a, String b, long labels, long points, long mismatchCount,
        List<LabelMismatch> mismatches, double seconds) {
    public VerificationResult {
        mismatches = List.copyOf(mismatches);
    }

    /** @return true if no label differs */
    public boolean clean() {
        return mismatchCount == 0;
    }
}
