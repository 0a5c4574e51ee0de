package org.pocaduck.volume.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.pocaduck.volume.Box;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeShape;

/** Argument checks shared by the readers. Stateless, thread-safe. */
public final class Checks {
    private Checks() {
    }

    /**
     * Checks the arguments of {@code VolumeSource.read}.
     *
     * @throws IllegalArgumentException if the box is outside the shape, larger than a Java
     *     array, or the target is too short
     */
    public static int requireReadable(Box box, long[] target, VolumeShape shape, Path file) {
        Objects.requireNonNull(box, "box is null");
        Objects.requireNonNull(target, "target is null");
        if (!box.within(shape)) {
            throw new IllegalArgumentException("Cannot read " + box + " of volume " + file + ": outside its shape " + shape);
        }
        long voxels = box.voxels();
        if (voxels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot read " + box + " of volume " + file + ": " + voxels
                    + " voxels do not fit one Java array; read smaller boxes");
        }
        if (target.length < voxels) {
            throw new IllegalArgumentException("Cannot read " + box + " of volume " + file + ": target holds "
                    + target.length + " labels, the box has " + voxels);
        }
        return (int) voxels;
    }

    /**
     * Rejects options a format does not know.
     *
     * @throws VolumeException naming the unknown options and the known ones
     */
    public static void requireKnownOptions(Map<String, String> options, Set<String> known, String format, Path file) {
        Objects.requireNonNull(options, "options is null");
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new VolumeException("Cannot open volume " + file + " as " + format + ": unknown option(s) " + unknown
                    + "; known: " + (known.isEmpty() ? "none" : new TreeSet<>(known)));
        }
    }

    /** Throws if closed. */
    public static void requireOpen(boolean closed, Path file) {
        if (closed) {
            throw new IllegalStateException("Cannot read volume " + file + ": it is closed");
        }
    }
}
