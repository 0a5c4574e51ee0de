package org.pocaduck.volume;

import java.nio.file.Path;
import java.util.Map;

/**
 * One volume file format: recognises paths and opens them. Implementations are found with
 * {@link java.util.ServiceLoader} (register with {@code @AutoService(VolumeFormat.class)}) and
 * chosen by {@link Volumes#open}: by {@link #name()} when the user forces a format, else the
 * single format that {@link #recognizes(Path) recognises} the path. Must be thread-safe.
 */
public interface VolumeFormat {
    /** @return the stable lowercase name users pass to force the format, such as {@code zarr} */
    String name();

    /**
     * @param path a file or directory
     * @return true if this format claims the path (by name, extension or a cheap look inside)
     */
    boolean recognizes(Path path);

    /**
     * Opens a volume.
     *
     * @param path the file or directory
     * @param options format options such as {@code dataset=/stack} or {@code scale=1}; a format
     *     rejects options it does not know, naming them
     * @return the open volume; the caller closes it
     * @throws VolumeException if the volume cannot be opened (naming the file and the problem)
     */
    VolumeSource open(Path path, Map<String, String> options);
}
