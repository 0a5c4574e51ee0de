package org.pocaduck.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pocaduck.Store;

/**
 * The division of a budget B that {@code scripts/pocaduck} sizes the JVM by (it computes the
 * heap as B - B/8 in shell) and the commands plan their buffers by.
 */
class TestMemoryBudget {
    private static final long MIB = 1L << 20;

    @Test
    void aBudgetIsSplitIntoHeapNativeShareAndUsablePart() {
        long budget = 1L << 30;
        assertThat(MemoryBudget.nativeBytes(budget)).isEqualTo(128 * MIB);
        assertThat(MemoryBudget.heapBytes(budget)).isEqualTo(896 * MIB);
        assertThat(MemoryBudget.usableBytes(budget)).isEqualTo(896 * MIB / 4 * 3 - 32 * MIB);
        assertThat(MemoryBudget.consolidationBytes(budget)).isEqualTo(128 * MIB);
        // What the launcher passes as -Xmx for --max-memory 512MiB.
        assertThat(MemoryBudget.heapBytes(512 * MIB) >> 20).isEqualTo(448);
    }

    @Test
    void smallBudgetsHaveNoUsablePartAndConsolidateWithTheStoresMinimum() {
        assertThat(MemoryBudget.usableBytes(32 * MIB)).isNegative();
        assertThat(MemoryBudget.consolidationBytes(4 * MIB)).isEqualTo(Store.MIN_MEMORY_BUDGET_BYTES);
    }

    @Test
    void budgetForIsTheSmallestWholeMibBudgetWhoseUsablePartHoldsTheBytes() {
        for (long usable : new long[] {1, MIB, 7_000_000, 60 * MIB + 12_345, 3L << 30}) {
            long budget = MemoryBudget.budgetFor(usable);
            assertThat(budget % MIB).isZero();
            assertThat(MemoryBudget.usableBytes(budget)).as("usable part of %d", budget).isGreaterThanOrEqualTo(usable);
            assertThat(MemoryBudget.usableBytes(budget - MIB)).as("usable part of %d", budget - MIB)
                    .isLessThan(usable);
        }
    }

    @Test
    void sizesAreFormattedAsPeopleWriteThem() {
        assertThat(MemoryBudget.format(1L << 30)).isEqualTo("1GiB");
        assertThat(MemoryBudget.format(3L << 30)).isEqualTo("3GiB");
        assertThat(MemoryBudget.format(95 * MIB)).isEqualTo("95MiB");
        assertThat(MemoryBudget.format(1536 * MIB)).isEqualTo("1536MiB");
        assertThat(MemoryBudget.format(MIB + MIB / 2)).isEqualTo("1.5MiB");
        assertThat(MemoryBudget.format(1000)).isEqualTo("1000 bytes");
    }
}
