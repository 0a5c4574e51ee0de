package org.pocaduck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which labels a read covers: every label ({@link #all()}), an unsigned range of labels
 * ({@link #range(long, long)}), or a list of labels ({@link #of(long...)}, {@link #read(Path)}).
 * Labels are uint64 carried in a {@code long} (see {@link Labels}), compared unsigned. Immutable
 * and thread-safe.
 */
public sealed interface LabelSelection permits LabelSelection.All, LabelSelection.Range, LabelSelection.Listed {
    /** @return the selection of every label */
    static All all() {
        return All.EVERY;
    }

    /**
     * @param first the first label, inclusive
     * @param last the last label, inclusive, not below {@code first} in unsigned order
     * @return the labels from {@code first} to {@code last} in unsigned order
     * @throws IllegalArgumentException if {@code last} is below {@code first} (unsigned)
     */
    static Range range(long first, long last) {
        return new Range(first, last);
    }

    /**
     * @param labels uint64 labels in any order, repeats allowed
     * @return the selection of those labels
     * @throws IllegalArgumentException if there are none
     */
    static Listed of(long... labels) {
        return Listed.of(labels);
    }

    /**
     * Reads a text file of labels: one unsigned decimal label per line (0 to
     * 18446744073709551615); blank lines and lines starting with {@code #} are skipped;
     * surrounding spaces are ignored.
     *
     * @throws IllegalArgumentException naming the file, the line number and the text if a line is
     *     not a label, or if the file holds no label
     * @throws UncheckedIOException if the file cannot be read
     */
    static Listed read(Path file) {
        Objects.requireNonNull(file, "file is null");
        long[] buffer = new long[1024];
        int n = 0;
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                long label;
                try {
                    label = Labels.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Cannot read labels from " + file + ": line " + lineNumber
                            + " '" + text + "' is not a uint64 label (" + e.getMessage() + ")", e);
                }
                if (n == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.multiplyExact(n, 2));
                }
                buffer[n++] = label;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read labels from " + file + ": " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new IllegalArgumentException("Cannot read labels from " + file + ": it holds no label");
        }
        return Listed.of(Arrays.copyOf(buffer, n));
    }

    /** @return true if the label is selected */
    boolean contains(long label);

    /** Every label. */
    record All() implements LabelSelection {
        private static final All EVERY = new All();

        @Override
        public boolean contains(long label) {
            return true;
        }
    }

    /**
     * The labels from {@code first} to {@code last}, both inclusive, in unsigned order.
     *
     * @param first the first label
     * @param last the last label, not below {@code first} (unsigned)
     */
    record Range(long first, long last) implements LabelSelection {
        /** @throws IllegalArgumentException if {@code last} is below {@code first} (unsigned) */
        public Range {
            if (Long.compareUnsigned(first, last) > 0) {
                throw new IllegalArgumentException("Cannot select labels " + Labels.format(first) + " to "
                        + Labels.format(last) + ": the last label is below the first (labels are unsigned 64-bit)");
            }
        }

        @Override
        public boolean contains(long label) {
            return Long.compareUnsigned(label, first) >= 0 && Long.compareUnsigned(label, last) <= 0;
        }

        @Override
        public String toString() {
            return "LabelSelection.Range[" + Labels.format(first) + ".." + Labels.format(last) + "]";
        }
    }

    /** Listed labels: distinct, held in unsigned order in one array (at most 2^31 - 9 labels). */
    final class Listed implements LabelSelection {
        private final long[] labels;

        private Listed(long[] sortedDistinct) {
            this.labels = sortedDistinct;
        }

        private static Listed of(long... labels) {
            Objects.requireNonNull(labels, "labels is null");
            if (labels.length == 0) {
                throw new IllegalArgumentException("Cannot select labels: the selection is empty");
            }
            long[] sorted = labels.clone();
            Labels.sortUnsigned(sorted);
            int n = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[n - 1]) {
                    sorted[n++] = sorted[i];
                }
            }
            return new Listed(n == sorted.length ? sorted : Arrays.copyOf(sorted, n));
        }

        /** @return the number of distinct labels */
        public int size() {
            return labels.length;
        }

        /**
         * @param index a position, 0 to {@link #size()} - 1
         * @return the label at that position in unsigned order
         */
        public long label(int index) {
            return labels[index];
        }

        /** @return the label's position in unsigned order, or a negative number if it is not selected */
        public int indexOf(long label) {
            int lo = 0;
            int hi = labels.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = Long.compareUnsigned(labels[mid], label);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        @Override
        public boolean contains(long label) {
            return indexOf(label) >= 0;
        }

        /** @return the labels in unsigned order (a copy) */
        public long[] toArray() {
            return labels.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Listed other && Arrays.equals(labels, other.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(labels);
        }

        @Override
        public String toString() {
            return "LabelSelection.Listed[" + labels.length + " labels]";
        }
    }
}
