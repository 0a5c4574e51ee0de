package org.pocaduck.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.pocaduck.budget.MemoryBudget;
import org.pocaduck.scan.Scanner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The conventions of the command lines: failures as one "pocaduck: Cannot ..." line with exit
 * code 1, the JVM running out of memory named with the budget of the command that ran, and the
 * shared scan options.
 */
class TestCommandLines {
    /** Fails the way it is told, after parsing the scan options (which hold --max-memory). */
    @Command(name = "scan-like")
    static final class ScanLike implements Callable<Integer> {
        @Mixin
        StorageOptions storage;

        @Mixin
        ScanOptions scan;

        @Option(names = "--fail")
        String fail = "";

        @Override
        public Integer call() {
            return switch (fail) {
                case "oom" -> throw new OutOfMemoryError("test heap");
                case "argument" -> throw new IllegalArgumentException("Cannot scan x: test");
                case "other" -> throw new ArithmeticException("not ours");
                default -> 0;
            };
        }
    }

    /** A command without --max-memory. */
    @Command(name = "query-like")
    static final class QueryLike implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("test heap");
        }
    }

    @Command(name = "tool", subcommands = {ScanLike.class, QueryLike.class})
    static final class Tool implements Runnable {
        @Override
        public void run() {
        }
    }

    /** What one run printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine line = CommandLines.configure(new CommandLine(new Tool()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = CommandLines.execute(line, args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aFailureIsOneLineWithExitCodeOneAndBadUsageIsTwo() {
        Run failed = run("scan-like", "v.raw", "--fail", "argument");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).isEqualTo("pocaduck: Cannot scan x: test" + System.lineSeparator());
        Run badSize = run("scan-like", "v.raw", "--max-memory", "lots");
        assertThat(badSize.exitCode()).isEqualTo(2);
        assertThat(badSize.err()).contains("'lots' is not a byte size (examples: 1048576, 512MiB, 1GiB)");
        assertThat(run("scan-like", "v.raw").exitCode()).isZero();
        // Anything else is a bug: picocli prints its stack trace.
        Run bug = run("scan-like", "v.raw", "--fail", "other");
        assertThat(bug.exitCode()).isEqualTo(1);
        assertThat(bug.err()).startsWith("java.lang.ArithmeticException: not ours").contains("\tat ");
    }

    @Test
    void runningOutOfMemoryNamesTheBudgetOfTheCommandThatRan() {
        String heap = MemoryBudget.format(Runtime.getRuntime().maxMemory() >> 20 << 20);
        Run scan = run("scan-like", "v.raw", "--max-memory", "512MiB", "--fail", "oom");
        assertThat(scan.exitCode()).isEqualTo(1);
        assertThat(scan.err().strip()).isEqualTo("pocaduck: Cannot finish: the JVM ran out of memory (test heap) "
                + "within --max-memory 512MiB (heap " + heap + "); what was committed before stays, and a rerun with "
                + "a larger --max-memory (scripts/pocaduck sizes the heap from it) or fewer --workers completes it");
        assertThat(run("scan-like", "v.raw", "--fail", "oom").err()).contains("within --max-memory 1GiB (heap ");
        // A command without a budget, run after one with it in the same JVM: no budget to name.
        Run query = run("query-like");
        assertThat(query.exitCode()).isEqualTo(1);
        assertThat(query.err().strip()).isEqualTo("pocaduck: Cannot finish: the JVM ran out of memory (test heap) "
                + "with a heap of " + heap + "; give it more with POCADUCK_JAVA_OPTS=-Xmx...");
    }

    @Test
    void scanOptionsGiveTheScannersSpec() {
        ScanLike command = new ScanLike();
        new CommandLine(command).parseArgs("vol.zarr", "--volume-format", "zarr", "--volume-option", "scale=1",
                "--attribute", "sv=sv.zarr", "--block-size", "16,32,8", "--keep-background", "--max-memory", "2GiB",
                "--location", "/tmp/s", "-O", "dimensions=x,y,z,sv");
        Scanner.Settings settings = command.scan.settings(3, 1, 4, "scan");
        Scanner.Spec spec = settings.spec();
        assertThat(command.scan.spec()).isEqualTo(spec);
        assertThat(spec.volume()).hasToString("vol.zarr");
        assertThat(spec.format()).contains("zarr");
        assertThat(spec.formatOptions()).containsEntry("scale", "1");
        assertThat(spec.attributes()).containsExactly(new Scanner.Attribute("sv", Path.of("sv.zarr")));
        assertThat(List.of(spec.blockX(), spec.blockY(), spec.blockZ())).containsExactly(16, 32, 8);
        assertThat(spec.keepBackground()).isTrue();
        assertThat(spec.maxMemoryBytes()).isEqualTo(2L << 30);
        assertThat(settings.workerId(2)).isEqualTo("scan-1-of-4-t2");
        assertThat(command.scan.storeConfig(command.storage).declaredSchema().orElseThrow())
                .hasToString("x,y,z,sv");
        assertThat(command.storage.toConfig().storageType()).isEqualTo(Defaults.STORAGE_TYPE);
        assertThat(ScanOptions.parseBlockSize(" 64 ")).containsExactly(64, 64, 64);
        assertThatThrownBy(() -> ScanOptions.parseBlockSize("8,8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot use --block-size '8,8': give one size or x,y,z");
    }
}
