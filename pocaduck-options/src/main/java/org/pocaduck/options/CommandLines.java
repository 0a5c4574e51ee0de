package org.pocaduck.options;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.pocaduck.PocaDuckException;
import org.pocaduck.budget.MemoryBudget;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The conventions every PoCADuck command line follows ({@code pocaduck} and the Spark job's main
 * class): how failures are printed and what exit code they give.
 *
 * <ul>
 *   <li>Exit code 0: done; 1: the work failed, printed as one line {@code pocaduck: Cannot ...}
 *       naming the value or file, without a stack trace; 2: bad usage (picocli's own).</li>
 *   <li>The JVM running out of memory is one such line too, naming the {@code --max-memory} of
 *       the command that ran (see {@link #outOfMemoryMessage}).</li>
 * </ul>
 *
 * <p>Stateless; the budget a command was given is read from the command that ran
 * (its {@link MemoryOptions}), not kept in static state.
 */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * Gives a command line the tools' conventions: case-insensitive enum values, and failures
     * ({@link PocaDuckException}, {@link IllegalArgumentException}, {@link IllegalStateException},
     * {@link UnsupportedOperationException}, {@link UncheckedIOException}) printed to the command
     * line's standard error as one line "pocaduck: Cannot ..." with exit code 1 instead of a
     * stack trace. Other exceptions are bugs: picocli prints them with their stack trace (exit
     * code 1).
     *
     * @param line the command line to configure
     * @return {@code line}
     */
    public static CommandLine configure(CommandLine line) {
        Objects.requireNonNull(line, "line is null");
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
     * Runs a {@linkplain #configure configured} command line. If the JVM runs out of memory, prints
     * {@link #outOfMemoryMessage} for the command that ran to the command line's standard error and
     * returns 1.
     *
     * @param line the command line
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(CommandLine line, String... args) {
        return execute(() -> line, args);
    }

    /**
     * Builds a {@linkplain #configure configured} command line and runs it, like
     * {@link #execute(CommandLine, String...)}; running out of memory while the command line is
     * built (picocli reads every command's annotations) is reported the same way, on
     * {@code System.err}.
     *
     * @param factory builds the command line
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(Supplier<CommandLine> factory, String... args) {
        CommandLine line;
        try {
            line = factory.get();
        } catch (OutOfMemoryError e) {
            System.err.println(outOfMemoryMessage(e, 0));
            System.err.flush();
            return 1;
        }
        return run(line, args);
    }

    private static int run(CommandLine line, String... args) {
        try {
            return line.execute(args);
        } catch (OutOfMemoryError e) {
            PrintWriter err = line.getErr();
            err.println(outOfMemoryMessage(e, budgetOf(line)));
            err.flush();
            return 1;
        }
    }

    /**
     * The one line a user sees when the JVM runs out of memory: the budget and heap in use, what
     * stays, and what to change.
     *
     * @param error the error
     * @param budgetBytes the {@code --max-memory} of the command that ran, bytes; 0 if it takes none
     * @return the line, starting "pocaduck: Cannot finish"
     */
    public static String outOfMemoryMessage(OutOfMemoryError error, long budgetBytes) {
        String heap = MemoryBudget.format(Runtime.getRuntime().maxMemory() >> 20 << 20);
        String what = error.getMessage() == null ? "out of memory" : error.getMessage();
        if (budgetBytes <= 0) {
            return "pocaduck: Cannot finish: the JVM ran out of memory (" + what + ") with a heap of " + heap
                    + "; give it more with POCADUCK_JAVA_OPTS=-Xmx...";
        }
        return "pocaduck: Cannot finish: the JVM ran out of memory (" + what + ") within --max-memory "
                + MemoryBudget.format(budgetBytes) + " (heap " + heap + "); what was committed before stays, and a "
                + "rerun with a larger --max-memory (scripts/pocaduck sizes the heap from it) or fewer --workers "
                + "completes it";
    }

    /** The --max-memory of the (sub)command the last parse selected, or 0 if it takes none. */
    static long budgetOf(CommandLine line) {
        ParseResult parsed = line.getParseResult();
        if (parsed == null) {
            return 0;
        }
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return memoryOptions(parsed.commandSpec()).map(MemoryOptions::maxMemory).orElse(0L);
    }

    /** The {@link MemoryOptions} mixed into a command, directly or through another mixin. */
    private static Optional<MemoryOptions> memoryOptions(CommandSpec command) {
        for (CommandSpec mixin : command.mixins().values()) {
            if (mixin.userObject() instanceof MemoryOptions memory) {
                return Optional.of(memory);
            }
            Optional<MemoryOptions> nested = memoryOptions(mixin);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }
}
