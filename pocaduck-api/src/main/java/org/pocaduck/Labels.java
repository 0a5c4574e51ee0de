package org.pocaduck;

import java.util.Arrays;

/**
 * Helpers for uint64 labels carried in a Java {@code long}.
 *
 * <p>A label is an unsigned 64-bit integer (0 to 2^64-1, the range of segmentation ids such as
 * DVID's and neuPrint's). Java has no unsigned long, so PoCADuck carries a label in a
 * {@code long} holding the same 64 bits: labels from 2^63 to 2^64-1 are negative as signed
 * values. Parse, print, compare and sort them only with these helpers (or the
 * {@link Long#parseUnsignedLong}/{@link Long#toUnsignedString}/{@link Long#compareUnsigned}
 * they wrap); never pass a label through a {@code double}, which cannot hold ids above 2^53.
 *
 * <p>Stateless and thread-safe.
 */
public final class Labels {
    /** The largest label, 2^64-1, carried as the {@code long} -1. */
    public static final long MAX_LABEL = -1L;

    private Labels() {
    }

    /**
     * Parses a decimal uint64 label.
     *
     * @param text decimal digits, 0 to 18446744073709551615, optionally with a leading '+'
     * @return the label's 64 bits
     * @throws IllegalArgumentException if {@code text} is not a decimal number in the uint64
     *     range (the message names the text and the range)
     */
    public static long parse(String text) {
        java.util.Objects.requireNonNull(text, "text is null");
        String trimmed = text.strip();
        try {
            return Long.parseUnsignedLong(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Cannot parse label '" + text + "': a label is a decimal unsigned 64-bit integer "
                            + "from 0 to 18446744073709551615", e);
        }
    }

    /**
     * Formats a label as unsigned decimal.
     *
     * @param label a uint64 label carried in a {@code long}
     * @return its decimal digits, "0" to "18446744073709551615"
     */
    public static String format(long label) {
        return Long.toUnsignedString(label);
    }

    /**
     * Compares two labels in unsigned order, the order in which every query returns labels.
     *
     * @return negative, zero or positive as {@code a} is below, equal to or above {@code b}
     */
    public static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    /**
     * Sorts labels in place in unsigned order (0 first, 2^64-1 last).
     *
     * @param labels the labels to sort; changed in place
     */
    public static void sortUnsigned(long[] labels) {
        flipSignBits(labels);
        Arrays.sort(labels);
        flipSignBits(labels);
    }

    /**
     * Tells whether labels are in strictly ascending unsigned order (so without repeats).
     *
     * @param labels the labels to check; not changed
     * @return true if every label is above the one before it
     */
    public static boolean isStrictlyAscending(long[] labels) {
        for (int i = 1; i < labels.length; i++) {
            if (Long.compareUnsigned(labels[i - 1], labels[i]) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static void flipSignBits(long[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] ^= Long.MIN_VALUE;
        }
    }
}
