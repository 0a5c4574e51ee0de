package org.pocaduck.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Markdown table built row by row, and the number formats of the performance page. Not
 * thread-safe.
 */
final class Markdown {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param header the column titles */
    Markdown(String... header) {
        this.header = List.of(header);
    }

    /** @param header the column titles */
    Markdown(List<String> header) {
        this.header = List.copyOf(header);
    }

    /**
     * Adds a row; missing cells are left empty.
     *
     * @return this table
     * @throws IllegalArgumentException if the row has more cells than the header
     */
    Markdown row(String... cells) {
        return row(Arrays.asList(cells));
    }

    /** As {@link #row(String...)}. */
    Markdown row(List<String> cells) {
        if (cells.size() > header.size()) {
            throw new IllegalArgumentException("Cannot add a row of " + cells.size() + " cells to a table of "
                    + header.size() + " columns: " + cells);
        }
        List<String> row = new ArrayList<>(cells);
        while (row.size() < header.size()) {
            row.add("");
        }
        rows.add(row);
        return this;
    }

    /** @return true if no row was added */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** @return the table, header and rows, each line ending in a newline */
    @Override
    public String toString() {
        StringBuilder md = new StringBuilder();
        md.append(line(header)).append("|---".repeat(header.size())).append("|\n");
        rows.forEach(row -> md.append(line(row)));
        return md.toString();
    }

    private static String line(List<String> cells) {
        StringBuilder line = new StringBuilder("|");
        for (String cell : cells) {
            line.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ')).append(" |");
        }
        return line.append('\n').toString();
    }

    /** Three significant digits (at least the units), no exponent, thousands separated. */
    static String format(double value) {
        if (value == 0) {
            return "0";
        }
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3, RoundingMode.HALF_EVEN));
        int decimals = Math.max(0, rounded.scale());
        return String.format(Locale.ROOT, "%,." + decimals + "f", rounded);
    }

    /** A whole number with thousands separated. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Bytes in whole MiB, thousands separated. */
    static String mebibytes(double bytes) {
        return count(Math.round(bytes / (1 << 20))) + " MiB";
    }

    /** Values as "min - max (median m)", or the one value; empty for none. */
    static String spread(List<Double> values) {
        if (values.isEmpty()) {
            return "";
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 1) {
            return format(sorted[0]);
        }
        return format(sorted[0]) + " - " + format(sorted[sorted.length - 1]) + " (median " + format(median(sorted))
                + ")";
    }

    /** @return the median of sorted values (the mean of the middle two for an even count) */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** @return the median of values in any order; NaN for none */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }
}
