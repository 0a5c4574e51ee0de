package org.pocaduck;

/**
 * One label's totals in a store, from {@link Query#labelSummaries()}.
 *
 * @param label a uint64 label carried in a {@code long} (see {@link Labels}; print it with
 *     {@link Labels#format(long)})
 * @param pointCount the label's points over every block and worker, at least 1
 * @param blockCount the distinct block ids holding the label, at least 1
 */
public record LabelSummary(long label, long pointCount, int blockCount) {
    /** @throws IllegalArgumentException if a count is below 1 */
    public LabelSummary {
        if (pointCount < 1 || blockCount < 1) {
            throw new IllegalArgumentException("Cannot summarize label " + Labels.format(label) + ": pointCount = "
                    + pointCount + " and blockCount = " + blockCount + ", both must be at least 1");
        }
    }
}
