package org.pocaduck.volume.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Recognises files by name or first bytes. Stateless, thread-safe. */
public final class Detection {
    private Detection() {
    }

    /**
     * @param path a path
     * @param extensions lowercase name endings such as {@code .h5}
     * @param signatures byte strings a file of the format starts with
     * @return true if the path is a regular file whose name ends with one of the extensions
     *     (any case) or whose first bytes equal one of the signatures
     */
    public static boolean regularFileMatches(Path path, List<String> extensions, List<byte[]> signatures) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (extensions.stream().anyMatch(name::endsWith)) {
            return true;
        }
        int longest = signatures.stream().mapToInt(s -> s.length).max().orElse(0);
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(longest);
            return signatures.stream().anyMatch(s -> head.length >= s.length
                    && Arrays.equals(Arrays.copyOf(head, s.length), s));
        } catch (IOException e) {
            return false;
        }
    }
}
