package org.pocaduck.python;

import java.nio.file.Path;
import org.pocaduck.Labels;

/**
 * One attached index database of the store.
 *
 * @param alias the name it is attached under
 * @param file the index file
 * @param optimized true for the optimizer's index ({@code label, file_path, point_count}), false
 *     for a unified or worker index ({@code label, block_id, file_path, point_count})
 * @param unsignedLabels true if its label column is UBIGINT (the original's indexes), false if
 *     BIGINT holding the uint64 bits (the optimizer's index)
 */
record IndexSource(String alias, Path file, boolean optimized, boolean unsignedLabels) {
    /** The table every index of the original holds. */
    static final String TABLE = "point_cloud_index";

    /** @return the table, qualified by the alias */
    String table() {
        return alias + "." + TABLE;
    }

    /**
     * @return an expression giving the label's 64 bits as BIGINT (labels from 2^63 up are
     *     negative), the form Java carries a label in
     */
    String labelBits() {
        return unsignedLabels
                ? "CAST(CAST(label AS HUGEINT) - CASE WHEN label > 9223372036854775807 "
                        + "THEN 18446744073709551616::HUGEINT ELSE 0::HUGEINT END AS BIGINT)"
                : "label";
    }

    /**
     * A filter on the raw label column with the label as a constant of the column's type, so
     * DuckDB can skip row groups by their statistics (a filter on {@link #labelBits()} cannot).
     * Labels are numbers, so inlining them is safe.
     */
    String labelEquals(long label) {
        return unsignedLabels
                ? "label = CAST(" + Labels.format(label) + " AS UBIGINT)"
                : "label = CAST(" + label + " AS BIGINT)";
    }
}
