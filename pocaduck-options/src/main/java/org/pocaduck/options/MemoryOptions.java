package org.pocaduck.options;

import org.pocaduck.budget.MemoryBudget;
import picocli.CommandLine.Option;

/**
 * {@code --max-memory}, taken the same way by every command that holds data ({@code scan},
 * {@code migrate}, {@code consolidate}, and the Spark job's main class, where it is each task's):
 * the budget B that {@code scripts/pocaduck} sizes the JVM from and the command plans its
 * buffers within, divided as {@link MemoryBudget} says. The budget is this object's state, so
 * {@link CommandLines#execute} can name it when the JVM runs out of memory. A picocli mixin; not
 * thread-safe.
 */
public final class MemoryOptions {
    @Option(names = "--max-memory", paramLabel = "SIZE", defaultValue = "1GiB", converter = ByteSizeConverter.class,
            description = "Memory budget, e.g. 512MiB: scripts/pocaduck sizes the JVM from it (heap 7/8 of it) and "
                    + "the command's buffers stay within it (default: ${DEFAULT-VALUE}).")
    private long maxMemory;

    /** @return the budget B, bytes */
    public long maxMemory() {
        return maxMemory;
    }

    /** @return the native share of B: a consolidation's DuckDB memory limit, bytes */
    public long consolidationBytes() {
        return MemoryBudget.consolidationBytes(maxMemory);
    }
}
