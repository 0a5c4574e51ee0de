package org.pocaduck.cli;

import java.nio.file.Path;
import java.util.UUID;
import org.pocaduck.StorageConfig;

/** Runs the real picocli command line in this JVM, capturing what it prints. */
final class Cli {
    /**
     * @param exitCode the command's exit code
     * @param out what it printed to standard output
     * @param err what it printed to standard error
     */
    record Run(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    static Run run(String... args) {
        Main.Captured run = Main.runCaptured(args);
        return new Run(run.exitCode(), run.out(), run.err());
    }

    /** Runs a command that must succeed. */
    static Run ok(String... args) {
        Run run = run(args);
        if (run.exitCode() != 0) {
            throw new AssertionError("pocaduck " + String.join(" ", args) + " exited with " + run.exitCode() + ": "
                    + run.err());
        }
        return run;
    }

    /**
     * A fresh store location for the default backend ({@code parquet-duckdb}): a new path in
     * {@code directory} (a JUnit {@code @TempDir}), not yet created.
     */
    static String freshStore(Path directory, String hint) {
        return directory.resolve(hint + "-" + UUID.randomUUID()).toAbsolutePath().toString();
    }

    /** The config of a store the commands wrote with the default backend. */
    static StorageConfig config(String location) {
        return StorageConfig.builder(Defaults.STORAGE_TYPE).location(location).build();
    }
}
