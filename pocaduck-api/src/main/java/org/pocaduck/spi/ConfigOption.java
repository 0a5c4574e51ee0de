package org.pocaduck.spi;

import java.util.Objects;

/**
 * One option key a backend understands.
 *
 * @param key the option key, as in a properties file
 * @param required true if a store cannot be opened without it
 * @param description what it sets, its unit and its default, for error messages and help
 */
public record ConfigOption(String key, boolean required, String description) {
    public ConfigOption {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(description, "description is null");
    }

    /** An optional key. */
    public static ConfigOption optional(String key, String description) {
        return new ConfigOption(key, false, description);
    }

    /** A required key. */
    public static ConfigOption required(String key, String description) {
        return new ConfigOption(key, true, description);
    }
}
