package org.pocaduck.volume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Opens label volumes in any format on the class path. Thread-safe.
 */
public final class Volumes {
    private Volumes() {
    }

    /** @return every registered format by name */
    public static SortedMap<String, VolumeFormat> formats() {
        SortedMap<String, VolumeFormat> byName = new TreeMap<>();
        for (VolumeFormat format : ServiceLoader.load(VolumeFormat.class, Volumes.class.getClassLoader())) {
            VolumeFormat earlier = byName.putIfAbsent(format.name(), format);
            if (earlier != null) {
                throw new VolumeException("Cannot choose volume format '" + format.name() + "': two readers declare it: "
                        + earlier.getClass().getName() + " and " + format.getClass().getName());
            }
        }
        return byName;
    }

    /**
     * Opens a volume, detecting its format from the path unless one is forced.
     *
     * @param path a file or directory
     * @param format a format name to force, or empty to detect
     * @param options format options (see each format)
     * @return the open volume; the caller closes it
     * @throws VolumeException if the path does not exist, the format is unknown or cannot be
     *     detected (the message lists the formats), or the volume cannot be opened
     */
    public static VolumeSource open(Path path, Optional<String> format, Map<String, String> options) {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(format, "format is null");
        Objects.requireNonNull(options, "options is null");
        if (!Files.exists(path)) {
            throw new VolumeException("Cannot open volume " + path + ": no such file or directory");
        }
        SortedMap<String, VolumeFormat> formats = formats();
        if (format.isPresent()) {
            VolumeFormat chosen = formats.get(format.get());
            if (chosen == null) {
                throw new VolumeException("Cannot open volume " + path + " as format '" + format.get()
                        + "': unknown format; available: " + String.join(", ", formats.keySet()));
            }
            return chosen.open(path, options);
        }
        List<VolumeFormat> claimants = formats.values().stream().filter(f -> f.recognizes(path)).toList();
        if (claimants.size() != 1) {
            throw new VolumeException("Cannot open volume " + path + ": "
                    + (claimants.isEmpty() ? "no format recognises it" : "several formats recognise it ("
                    + String.join(", ", claimants.stream().map(VolumeFormat::name).toList()) + ")")
                    + "; force one of: " + String.join(", ", formats.keySet()));
        }
        return claimants.getFirst().open(path, options);
    }
}
