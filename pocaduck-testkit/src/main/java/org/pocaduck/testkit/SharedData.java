package org.pocaduck.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Locates the project's real test data, {@code ../shared/data} beside the project root, read in
 * place and never copied.
 *
 * <p>Order: the system property {@code pocaduck.shared.data} (the build sets it), the environment
 * variable {@code POCADUCK_SHARED_DATA}, then {@code shared/data} in the working directory or any
 * directory above it.
 */
public final class SharedData {
    private SharedData() {
    }

    /**
     * @return the {@code shared/data} directory
     * @throws IllegalStateException if it cannot be found (tests fail rather than skip)
     */
    public static Path root() {
        String property = System.getProperty("pocaduck.shared.data");
        if (property != null && Files.isDirectory(Paths.get(property))) {
            return Paths.get(property).toAbsolutePath().normalize();
        }
        String env = System.getenv("POCADUCK_SHARED_DATA");
        if (env != null && Files.isDirectory(Paths.get(env))) {
            return Paths.get(env).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Cannot find the shared test data: set -Dpocaduck.shared.data or "
                + "POCADUCK_SHARED_DATA, or keep shared/data beside the project (looked from "
                + Paths.get("").toAbsolutePath() + " upwards)");
    }

    /**
     * @param relative a path inside {@code shared/data}, such as {@code dvid_blocks}
     * @return the resolved path
     * @throws IllegalStateException if it does not exist
     */
    public static Path resolve(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("Cannot find shared data file " + path);
        }
        return path;
    }
}
