package org.pocaduck.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule that maps the absolute paths the original's indexes hold onto a store's root. */
class TestPythonStoreLayout {
    @TempDir
    Path tempDir;

    @Test
    void workerDataFileIsTakenUnderTheRoot() {
        Path root = tempDir.resolve("store");
        assertThat(PythonStoreLayout.resolve(root, "/tmp/legacy/unoptimized/worker_w0/data/w0-0.parquet"))
                .contains(root.resolve("worker_w0/data/w0-0.parquet"));
    }

    @Test
    void optimizedFileIsTakenUnderTheRoot() {
        Path root = tempDir.resolve("store");
        assertThat(PythonStoreLayout.resolve(root, "/tmp/legacy/optimized/optimized/optimize_opt1/x.parquet"))
                .contains(root.resolve("optimized/optimize_opt1/x.parquet"));
    }

    @Test
    void rootWhosePathHoldsWorkerOrOptimizedIsNotConfused() {
        // The root's own components look like the layout: only the indexed path's last three count.
        Path root = tempDir.resolve("worker_old/optimized/data/worker_w5");
        assertThat(PythonStoreLayout.resolve(root, "/mnt/a/worker_w1/data/f.parquet"))
                .contains(root.resolve("worker_w1/data/f.parquet"));
        assertThat(PythonStoreLayout.resolve(root, "/mnt/optimized/optimized/optimize_o/f.parquet"))
                .contains(root.resolve("optimized/optimize_o/f.parquet"));
        assertThat(PythonStoreLayout.resolve(root, "worker_w1/data/f.parquet"))
                .contains(root.resolve("worker_w1/data/f.parquet"));
    }

    @Test
    void windowsPathsAreSplitOnBackslashes() {
        Path root = tempDir.resolve("store");
        assertThat(PythonStoreLayout.resolve(root, "C:\\stores\\s1\\worker_w2\\data\\w2-7.parquet"))
                .contains(root.resolve("worker_w2/data/w2-7.parquet"));
    }

    @Test
    void otherPathsAreUsedAsWrittenOnlyIfTheFileExists() throws Exception {
        Path root = Files.createDirectories(tempDir.resolve("store"));
        Path elsewhere = Files.createDirectories(tempDir.resolve("elsewhere/data")).resolve("x.parquet");
        assertThat(PythonStoreLayout.resolve(root, elsewhere.toString())).isEmpty();
        Files.writeString(elsewhere, "x");
        assertThat(PythonStoreLayout.resolve(root, elsewhere.toString())).contains(elsewhere);
        // A relative path is taken under the root.
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/y.parquet"), "y");
        assertThat(PythonStoreLayout.resolve(root, "data/y.parquet")).contains(root.resolve("data/y.parquet"));
        // "worker_" with no id, or a layout directory that is not third from the end, is no layout.
        assertThat(PythonStoreLayout.resolve(root, "/old/worker_/data/z.parquet")).isEmpty();
        assertThat(PythonStoreLayout.resolve(root, "/old/worker_w0/data/sub/z.parquet")).isEmpty();
        assertThat(PythonStoreLayout.resolve(root, "z.parquet")).isEmpty();
    }

    @Test
    void scanFindsTheIndexFilesAndOnlyWorkersWithTheirIndex() throws Exception {
        Path root = Files.createDirectories(tempDir.resolve("store"));
        assertThat(PythonStoreLayout.scan(root).isEmpty()).isTrue();
        Files.createDirectories(root.resolve("worker_a/data"));
        Files.writeString(root.resolve("worker_a/index_a.db"), "");
        Files.createDirectories(root.resolve("worker_b/data"));
        Files.writeString(root.resolve("worker_b/index_other.db"), "");
        PythonStoreLayout layout = PythonStoreLayout.scan(root);
        assertThat(layout.workerIndexes()).containsOnlyKeys("a");
        assertThat(layout.unifiedIndex()).isEmpty();
        assertThat(layout.optimizedIndex()).isEmpty();
        assertThat(layout.blockIndexes()).containsExactly(root.resolve("worker_a/index_a.db"));
    }
}
