package org.pocaduck.migrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.pocaduck.Labels;

/**
 * A set of uint64 labels that a migration or a verification is restricted to. Immutable and
 * thread-safe; at most 2^31 - 1 labels (they are held in one array).
 */
public final class LabelSelection {
    /** Distinct labels in unsigned order. */
    private final long[] labels;

    private LabelSelection(long[] sortedDistinct) {
        this.labels = sortedDistinct;
    }

    /**
     * @param labels uint64 labels carried in {@code long}s, in any order, repeats allowed
     * @return the selection of those labels
     * @throws IllegalArgumentException if there are none
     */
    public static LabelSelection of(long... labels) {
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
        return new LabelSelection(Arrays.copyOf(sorted, n));
    }

    /**
     * Reads a text file of labels: one unsigned decimal label per line (0 to 18446744073709551615);
     * blank lines and lines starting with {@code #} are skipped; surrounding spaces are ignored.
     *
     * @throws IllegalArgumentException naming the file, the line number and the text if a line
     *     is not a label, or if the file holds no label
     * @throws UncheckedIOException if the file cannot be read
     */
    public static LabelSelection read(Path file) {
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
        return of(Arrays.copyOf(buffer, n));
    }

    /** @return the number of distinct labels */
    public int size() {
        return labels.length;
    }

    /** @return true if the label is selected */
    public boolean contains(long label) {
        return indexOf(label) >= 0;
    }

    /** @return the label's position in unsigned order, or a negative number if not selected */
    int indexOf(long label) {
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
        return -1;
    }

    /** @return the label at a position in unsigned order */
    long label(int index) {
        return labels[index];
    }

    @Override
    public String toString() {
        return "LabelSelection[" + labels.length + " labels]";
    }
}
