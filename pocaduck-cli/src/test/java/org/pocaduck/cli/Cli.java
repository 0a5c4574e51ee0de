package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.pocaduck.StorageConfig;
import org.pocaduck.options.Defaults;

/** Runs the real picocli command line in this JVM, or in child JVMs, capturing what it prints. */
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

    /**
     * The command that runs {@code pocaduck args} in a child JVM: this JVM's java and class path,
     * the JDK 25 flags of the tool, a 1 GiB heap.
     */
    static List<String> childJvm(List<String> args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        return command;
    }

    /**
     * Cluster mode as a job array runs it: {@code pocaduck scan ARGS --worker-index I --worker-count
     * N} in N child JVMs at once, each one's standard output and error into
     * {@code logs/worker-I.log}. Fails unless every worker exits with 0 within 5 minutes.
     *
     * @param logs a directory for the logs (a JUnit {@code @TempDir})
     * @param workers N
     * @param scanArgs the volume, the store and other scan options, after {@code scan}
     * @return each worker's log, by worker index
     */
    static List<String> scanInWorkerProcesses(Path logs, int workers, List<String> scanArgs)
            throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>();
        try {
            for (int worker = 0; worker < workers; worker++) {
                List<String> args = new ArrayList<>(List.of("scan"));
                args.addAll(scanArgs);
                args.addAll(List.of("--worker-index", Integer.toString(worker), "--worker-count",
                        Integer.toString(workers)));
                processes.add(new ProcessBuilder(childJvm(args)).redirectErrorStream(true)
                        .redirectOutput(logs.resolve("worker-" + worker + ".log").toFile()).start());
            }
            List<String> output = new ArrayList<>();
            for (int worker = 0; worker < workers; worker++) {
                Process process = processes.get(worker);
                assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("worker %d finished", worker).isTrue();
                String log = Files.readString(logs.resolve("worker-" + worker + ".log"));
                assertThat(process.exitValue()).as("worker %d: %s", worker, log).isZero();
                output.add(log);
            }
            return output;
        } finally {
            processes.forEach(Process::destroyForcibly); // only those a failed assertion left running
        }
    }
}
