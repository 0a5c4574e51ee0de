package org.pocaduck.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pocaduck.StorageConfig;

/** A store given on the command line, with its report name. */
record StoreSpec(String name, StorageConfig config) {
    /**
     * Parses {@code [NAME=]FILE.properties} or {@code [NAME=]TYPE:LOCATION[,key=value...]}.
     *
     * @throws IllegalArgumentException naming the value if it is neither
     */
    static StoreSpec parse(String text) {
        String name = null;
        String spec = text;
        int eq = text.indexOf('=');
        int colon = text.indexOf(':');
        if (eq > 0 && (colon < 0 || eq < colon) && !text.substring(0, eq).contains(",")) {
            name = text.substring(0, eq);
            spec = text.substring(eq + 1);
        }
        StorageConfig config;
        if (spec.endsWith(".properties") || !spec.contains(":")) {
            if (!Files.isRegularFile(Path.of(spec))) {
                throw new IllegalArgumentException("Cannot use store " + text + ": not a properties file"
                        + " and not TYPE:LOCATION[,key=value...]");
            }
            config = StorageConfig.load(Path.of(spec));
        } else {
            String type = spec.substring(0, spec.indexOf(':'));
            String[] parts = spec.substring(spec.indexOf(':') + 1).split(",");
            if (type.isBlank() || parts[0].isBlank()) {
                throw new IllegalArgumentException("Cannot use store " + text
                        + ": TYPE:LOCATION needs both a storage type and a location");
            }
            StorageConfig.Builder builder = StorageConfig.builder(type).location(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new IllegalArgumentException("Cannot use store " + text + ": option '" + parts[i]
                            + "' is not key=value");
                }
                builder.set(kv[0], kv[1]);
            }
            config = builder.build();
        }
        return new StoreSpec(name != null ? name : config.storageType(), config);
    }
}
