package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.testkit.VolumeBlocks;

/**
 * A worker process killed mid-ingest (SIGKILL, after it has flushed Parquet files) loses nothing
 * of the worker's earlier run, and rerunning it leaves a store equal to a clean run. The reruns
 * are two worker processes writing one store at once (the MULTI_PROCESS capability).
 */
class TestCrashSafety {
    private static final int BLOCKS = 8;
    private static final String BUFFER = "1MiB";

    @TempDir
    Path tempDir;

    /** Per label: point count and block count; for every 7th label its blocks and sorted points. */
    private record Content(Map<Long, String> summary, Map<Long, PointCloud> points) {
    }

    @Test
    void killedWorkerProcessThenRerunEqualsACleanRun() throws Exception {
        // The clean run: both workers in this JVM.
        Path clean = tempDir.resolve("clean");
        List<VolumeBlocks.Block> blocks = IngestWorkerMain.blocks(BLOCKS);
        try (Store store = PocaDuck.open(IngestWorkerMain.config(clean, BUFFER))) {
            for (int w = 0; w < 2; w++) {
                try (Ingestor ingestor = store.ingestor("w" + w)) {
                    VolumeBlocks.write(ingestor, blocks, w, 2);
                    ingestor.commit();
                }
            }
            store.consolidate();
        }
        Content expected = content(clean);
        assertThat(expected.summary()).hasSizeGreaterThan(1000);

        Path crashed = tempDir.resolve("crashed");
        // Worker w1 runs in this JVM; worker w0 is a child process that completes once.
        try (Store store = PocaDuck.open(IngestWorkerMain.config(crashed, BUFFER));
                Ingestor ingestor = store.ingestor("w1")) {
            VolumeBlocks.write(ingestor, blocks, 1, 2);
            ingestor.commit();
        }
        assertThat(runChild(crashed, -1)).contains("COMMITTED");
        PocaDuck.consolidate(IngestWorkerMain.config(crashed, BUFFER));
        assertThat(content(crashed)).isEqualTo(expected);

        // The rerun of w0 is killed after it has flushed several files: nothing is lost.
        List<String> killedOutput = runChild(crashed, 2);
        assertThat(killedOutput).doesNotContain("COMMITTED");
        List<Path> killedFiles = partialRunFiles(crashed);
        assertThat(killedFiles).as("files of the killed run").isNotEmpty();
        PocaDuck.consolidate(IngestWorkerMain.config(crashed, BUFFER));
        assertThat(content(crashed)).isEqualTo(expected);

        // Rerunning it, together with w1 in a second process at the same time, completes and gives
        // exactly the clean store; the killed run's files go.
        Process w1 = startChild(crashed, "w1", 1);
        assertThat(runChild(crashed, -1)).contains("COMMITTED");
        assertThat(w1.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(w1.exitValue()).as("exit of the concurrent worker process w1").isZero();
        PocaDuck.consolidate(IngestWorkerMain.config(crashed, BUFFER));
        assertThat(content(crashed)).isEqualTo(expected);
        for (Path killed : killedFiles) {
            assertThat(killed.getParent()).as("run directory of the killed run").doesNotExist();
        }
    }

    /** @return Parquet files (finished or temporary) in w0's run directories not named by CURRENT */
    private static List<Path> partialRunFiles(Path store) throws IOException {
        String current = Files.readString(store.resolve("workers/w0/CURRENT")).strip();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(store.resolve("workers/w0"))) {
            walk.filter(p -> p.toString().contains(".parquet") && !p.toString().contains(current)).forEach(files::add);
        }
        return files;
    }

    private static Content content(Path store) {
        Map<Long, String> summary = new TreeMap<>(Long::compareUnsigned);
        Map<Long, PointCloud> points = new TreeMap<>(Long::compareUnsigned);
        try (Store s = PocaDuck.openExisting(IngestWorkerMain.config(store, BUFFER)); Query query = s.query();
                LabelSummaries summaries = query.labelSummaries()) {
            while (summaries.hasNext()) {
                LabelSummary row = summaries.next();
                long label = row.label();
                summary.put(label, row.pointCount() + " points in " + row.blockCount() + " blocks");
                if (Long.remainderUnsigned(label, 7) == 0) {
                    summary.put(label, summary.get(label) + " " + query.blocks(label));
                    points.put(label, query.points(label).sorted());
                }
            }
        }
        return new Content(summary, points);
    }

    /** Starts a worker process; its output is discarded, its exit code tells success. */
    private static Process startChild(Path store, String workerId, int worker) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx1g",
                "-Dpocaduck.shared.data=" + SharedData.root(),
                "-cp", System.getProperty("java.class.path"), IngestWorkerMain.class.getName(),
                store.toString(), workerId, Integer.toString(worker), "2", Integer.toString(BLOCKS), BUFFER);
        builder.redirectErrorStream(true);
        if (!workerId.equals("w0")) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return builder.start();
    }

    /**
     * Runs worker w0 in a child JVM.
     *
     * @param killAfterBlocks kill it (SIGKILL) once it reports this many blocks; -1 to let it finish
     * @return its output lines
     */
    private static List<String> runChild(Path store, int killAfterBlocks) throws Exception {
        Process process = startChild(store, "w0", 0);
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (killAfterBlocks > 0 && line.equals("BLOCK " + killAfterBlocks)) {
                    process.destroyForcibly();
                    break;
                }
            }
        } finally {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
        if (killAfterBlocks < 0) {
            assertThat(process.exitValue()).as("exit of worker process: %s", lines).isZero();
        }
        return lines;
    }
}
