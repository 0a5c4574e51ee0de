package org.pocaduck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import picocli.CommandLine;

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
        CommandLine line = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Run(code, out.toString(), err.toString());
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

    /** A fresh memory-store name: memory stores live for the JVM, so every test uses its own. */
    static String freshStore(String hint) {
        return hint + "-" + UUID.randomUUID();
    }
}
