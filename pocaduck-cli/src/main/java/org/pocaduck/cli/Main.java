package org.pocaduck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.pocaduck.MemoryBudget;
import org.pocaduck.PocaDuckException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code pocaduck} command: scans label volumes into stores and queries them.
 *
 * <p>Exit codes: 0 success, 1 the work failed (bad input, storage error: the message says
 * "Cannot ..."), 2 bad usage.
 */
@Command(name = "pocaduck", mixinStandardHelpOptions = true, version = "pocaduck 0.1.0",
        description = "Stores and retrieves point clouds keyed by uint64 labels.",
        subcommands = {ScanCommand.class, ConsolidateCommand.class, InfoCommand.class, LabelsCommand.class,
                CountCommand.class, BlocksCommand.class, PointsCommand.class, CompareCommand.class,
                MigrateCommand.class, VerifyCommand.class, SelftestCommand.class, ServeCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show library log messages at INFO (chosen backend, files).")
    boolean verbose;

    /** The --max-memory of the command running, for the out-of-memory message; 0 if none. */
    private static volatile long memoryBudget;

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println(outOfMemoryMessage(e));
            System.err.flush();
            code = 1;
        }
        System.exit(code);
    }

    /** Notes the budget of the command being run (from {@link MemoryOptions}). */
    static void noteMemoryBudget(long bytes) {
        memoryBudget = bytes;
    }

    /**
     * The one line a user sees when the JVM runs out of memory: the budget and heap in use, what
     * stays, and what to change. Public for the Spark job's main class.
     *
     * @param error the error
     * @return the line, starting "pocaduck: Cannot finish"
     */
    public static String outOfMemoryMessage(OutOfMemoryError error) {
        String heap = MemoryBudget.format(Runtime.getRuntime().maxMemory() >> 20 << 20);
        String what = error.getMessage() == null ? "out of memory" : error.getMessage();
        long budget = memoryBudget;
        if (budget <= 0) {
            return "pocaduck: Cannot finish: the JVM ran out of memory (" + what + ") with a heap of " + heap
                    + "; give it more with POCADUCK_JAVA_OPTS=-Xmx...";
        }
        return "pocaduck: Cannot finish: the JVM ran out of memory (" + what + ") within --max-memory "
                + MemoryBudget.format(budget) + " (heap " + heap + "); what was committed before stays, and a rerun "
                + "with a larger --max-memory (scripts/pocaduck sizes the heap from it) or fewer --workers completes it";
    }

    /**
     * @return a command line ready to {@link CommandLine#execute execute}; labels are parsed as
     *     unsigned 64-bit, and failures print "pocaduck: Cannot ..." and exit with 1
     */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /**
     * Gives a command line the tool's conventions (also used by the Spark job's main class):
     * case-insensitive enum values, and failures printed as one line "pocaduck: Cannot ..." with
     * exit code 1 instead of a stack trace.
     *
     * @param line the command line to configure
     * @return {@code line}
     */
    public static CommandLine configure(CommandLine line) {
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((error, command, parseResult) -> {
            if (error instanceof PocaDuckException || error instanceof IllegalArgumentException
                    || error instanceof IllegalStateException || error instanceof UnsupportedOperationException
                    || error instanceof UncheckedIOException) {
                command.getErr().println("pocaduck: " + error.getMessage());
                command.getErr().flush();
                return 1;
            }
            throw error;
        });
        return line;
    }

    /**
     * What one in-process run of the command line printed.
     *
     * @param exitCode the command's exit code
     * @param out its standard output
     * @param err its standard error
     */
    record Captured(int exitCode, String out, String err) {
    }

    /** Runs the command line in this JVM, capturing what it prints (selftest, tests). */
    static Captured runCaptured(String... args) {
        CommandLine line = commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Captured(code, out.toString(), err.toString());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
