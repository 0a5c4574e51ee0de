package org.pocaduck.tabular;

import java.util.Locale;
import org.pocaduck.ConfigurationException;

/**
 * How a row holds its points: {@code packed} (a VARBINARY of little-endian int64 values,
 * optionally compressed; the default) or {@code array} (a SQL {@code ARRAY(BIGINT)} /
 * {@code BIGINT[]} analysts can {@code UNNEST}). Both hold the row's N x D values row-major.
 */
enum PayloadEncoding {
    PACKED("payload"),
    ARRAY("point_values");

    private final String column;

    PayloadEncoding(String column) {
        this.column = column;
    }

    /** @return the payload column's name in the points table */
    String column() {
        return column;
    }

    /** @return the option value naming this encoding */
    String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PayloadEncoding parse(String key, String value) {
        for (PayloadEncoding e : values()) {
            if (e.optionValue().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new ConfigurationException("Invalid option '" + key + "' = '" + value
                + "' for storage type 'tabular': it is not one of packed, array");
    }
}
