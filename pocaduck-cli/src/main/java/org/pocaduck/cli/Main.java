package org.pocaduck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.pocaduck.options.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code pocaduck} command: scans label volumes into stores and queries them.
 *
 * <p>Exit codes: 0 success, 1 the work failed (bad input, storage error: the message says
 * "Cannot ..."; the JVM running out of memory prints one such line naming the command's
 * {@code --max-memory}), 2 bad usage. Those conventions live in {@link CommandLines}, shared with
 * the Spark job's main class.
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

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        System.exit(CommandLines.execute(Main::commandLine, args));
    }

    /**
     * @return a command line ready to {@link CommandLine#execute execute}, with the conventions of
     *     {@link CommandLines#configure}: labels are parsed as unsigned 64-bit, and failures print
     *     "pocaduck: Cannot ..." and exit with 1
     */
    public static CommandLine commandLine() {
        return CommandLines.configure(new CommandLine(new Main()));
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
