package org.pocaduck.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How streamBlocks cuts a label's blocks into windows read by one statement each. */
class TestBlockWindows {
    private static TreeMap<String, LabelEntry.Block> blocks(long... points) {
        TreeMap<String, LabelEntry.Block> blocks = new TreeMap<>();
        for (int i = 0; i < points.length; i++) {
            blocks.put(String.format("b%04d", i), new LabelEntry.Block(points[i], Set.of("f")));
        }
        return blocks;
    }

    @Test
    void windowsHoldAtMostAMebiPointAndABlockLargerThanThatIsAlone() {
        int mebi = PythonQuery.WINDOW_POINTS;
        assertThat(PythonQuery.windows(blocks(mebi / 2, mebi / 2, 1, 3L * mebi, 5, 6), 100)).containsExactly(
                List.of("b0000", "b0001"), List.of("b0002"), List.of("b0003"), List.of("b0004", "b0005"));
    }

    @Test
    void chunkLargerThanTheWindowWidensIt() {
        int mebi = PythonQuery.WINDOW_POINTS;
        assertThat(PythonQuery.windows(blocks(mebi, mebi), 2 * mebi)).containsExactly(List.of("b0000", "b0001"));
    }

    @Test
    void windowsFilterOnAtMostFiveHundredBlocks() {
        long[] points = new long[1200];
        java.util.Arrays.fill(points, 1);
        List<List<String>> windows = PythonQuery.windows(blocks(points), 10);
        assertThat(windows).extracting(List::size).containsExactly(500, 500, 200);
    }
}
