package org.pocaduck.budget;

import java.util.Locale;
import org.pocaduck.Store;

/**
 * How one process's memory budget ({@code --max-memory}, B bytes) is divided: the rule the
 * launcher ({@code scripts/pocaduck}) sizes the JVM by and the commands plan their buffers by.
 *
 * <ul>
 *   <li>Native share: B/8, for what lives outside the Java heap and grows with the data: DuckDB
 *       (each index build and consolidation runs with a {@code memory_limit}, spilling beyond it),
 *       direct buffers (the launcher sets {@code -XX:MaxDirectMemorySize} to B/16) and compression
 *       contexts.</li>
 *   <li>Heap: B - B/8, the launcher's {@code -Xmx}.</li>
 *   <li>Usable: 3/4 of the heap less {@value #PROGRAM_HEAP_MIB} MiB for the program's own objects
 *       (the garbage collector needs the rest as headroom): what slabs, grouping scratch and the
 *       ingestors' buffers share.</li>
 * </ul>
 *
 * <p>Outside B stays a fixed overhead the budget does not scale: the JVM's class metadata and
 * compiled code, thread stacks, the garbage collector's own structures and the mapped DuckDB
 * library (about 300 MB; the README gives the figures measured).
 *
 * <p>Launcher policy, not part of the storage API: {@code scripts/pocaduck} applies the same
 * arithmetic in shell, and the scan ({@code pocaduck-scan}), the migration
 * ({@code pocaduck-migrate}), the Spark job and the CLI plan within it. A library user passes
 * budgets to {@link Store#ingestor(String, long)} and {@link Store#consolidate(long)} directly.
 *
 * <p>Stateless and thread-safe.
 */
public final class MemoryBudget {
    /** Heap kept for the program's own objects (classes' static data, drivers, caches), MiB. */
    public static final int PROGRAM_HEAP_MIB = 32;

    private static final long PROGRAM_HEAP_BYTES = (long) PROGRAM_HEAP_MIB << 20;

    private MemoryBudget() {
    }

    /**
     * @param budgetBytes B
     * @return the Java heap the launcher gives the JVM ({@code -Xmx}): B - B/8, bytes
     */
    public static long heapBytes(long budgetBytes) {
        return budgetBytes - nativeBytes(budgetBytes);
    }

    /**
     * @param budgetBytes B
     * @return the native share, B/8 bytes: DuckDB's {@code memory_limit} for a consolidation
     */
    public static long nativeBytes(long budgetBytes) {
        return budgetBytes / 8;
    }

    /**
     * @param budgetBytes B
     * @return the budget a consolidation gets: the native share, at least
     *     {@link Store#MIN_MEMORY_BUDGET_BYTES}, bytes
     */
    public static long consolidationBytes(long budgetBytes) {
        return Math.max(Store.MIN_MEMORY_BUDGET_BYTES, nativeBytes(budgetBytes));
    }

    /**
     * @param budgetBytes B
     * @return what buffers may hold in the heap: 3/4 of {@link #heapBytes} less
     *     {@value #PROGRAM_HEAP_MIB} MiB, bytes; negative when B is too small for anything
     */
    public static long usableBytes(long budgetBytes) {
        return heapBytes(budgetBytes) / 4 * 3 - PROGRAM_HEAP_BYTES;
    }

    /**
     * The inverse of {@link #usableBytes}: the smallest budget whose usable part holds
     * {@code usableBytes}, rounded up to whole MiB.
     *
     * @param usableBytes what buffers must hold, bytes
     * @return the budget, bytes
     */
    public static long budgetFor(long usableBytes) {
        long mib = 1L << 20;
        for (long budget = Math.max(mib, (usableBytes + PROGRAM_HEAP_BYTES) / mib * mib); ; budget += mib) {
            if (usableBytes(budget) >= usableBytes) {
                return budget;
            }
        }
    }

    /**
     * @param bytes a size
     * @return it as people write sizes: whole GiB or MiB when exact, else MiB with one decimal,
     *     or bytes below 1 MiB
     */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes < 1L << 20) {
            return bytes + " bytes";
        }
        return String.format(Locale.ROOT, "%.1fMiB", bytes / (double) (1L << 20));
    }
}
