package org.pocaduck.migrate;

import org.pocaduck.Labels;

/**
 * One label on which two stores differ.
 *
 * @param label the uint64 label, carried in a {@code long}
 * @param difference what differs, in words, with the two sides called A (the first store) and B
 *     (the second), for example {@code only in A}, {@code point count 12 in A, 11 in B},
 *     {@code block ids differ: A has 3_1_0, B has 3_1_1} or {@code checksum of the points differs}
 */
public record LabelMismatch(long label, String difference) {
    @Override
    public String toString() {
        return Labels.format(label) + ": " + difference;
    }
}
