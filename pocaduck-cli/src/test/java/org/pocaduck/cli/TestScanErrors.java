package org.pocaduck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.SharedData;

/** Bad input to scan fails with exit code 1 and a message naming the file and the problem. */
class TestScanErrors {
    private static final Path FIB19 = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.dat.gz");
    private static final Path SIDECAR = SharedData.resolve("dvid_blocks/fib19-64x64x64-sample1.json");

    @TempDir
    Path dir;

    @Test
    void missingSidecar() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        assertFails(scan(data), data + ": missing JSON sidecar " + dir.resolve("block.json"));
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        Files.writeString(dir.resolve("block.json"), Files.readString(SIDECAR).replace("\"uint64\"", "\"int16\""));
        assertFails(scan(data), data + ": unsupported dtype 'int16'");
    }

    @Test
    void shapeMismatchStoresNothing() throws IOException {
        Path data = Files.copy(FIB19, dir.resolve("block.dat.gz"));
        Files.writeString(dir.resolve("block.json"), "{\"shape_zyx\": [64, 64, 60], \"dtype\": \"uint64\"}");
        String location = Cli.freshStore(dir, "shape-mismatch");
        assertFails(Cli.run("scan", data.toString(), "--location", location, "--quiet"),
                data + ": shape mismatch");
        try (Store store = PocaDuck.openExisting(Cli.config(location));
                Query query = store.query()) {
            store.consolidate();
            assertThat(query.labels()).as("a failed scan commits nothing").isEmpty();
        }
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(FIB19);
        Path data = dir.resolve("cut.dat.gz");
        Files.write(data, Arrays.copyOf(whole, whole.length * 2 / 3));
        Files.copy(SIDECAR, dir.resolve("cut.json"));
        assertFails(scan(data), "Cannot read raw volume " + data + ": truncated");
    }

    @Test
    void attributeOfAnotherShape() {
        Path bodies = SharedData.resolve("neuroproof_ts2/gt_bodies.u64.raw.gz");
        assertFails(Cli.run("scan", bodies.toString(), "--location", Cli.freshStore(dir, "attr"), "--attribute",
                "supervoxel_id=" + FIB19), "Cannot scan with attribute 'supervoxel_id' from " + FIB19
                + ": its shape (z, y, x) = (64, 64, 64) differs");
    }

    @Test
    void secondScanIntoAFilledStoreIsRefused() {
        String location = Cli.freshStore(dir, "twice");
        Cli.ok("scan", FIB19.toString(), "--location", location, "--quiet");
        assertFails(Cli.run("scan", FIB19.toString(), "--location", location, "--quiet"),
                "Cannot scan into store parquet-duckdb:" + location + ": it already holds 18 labels");
    }

    @Test
    void memoryBudgetBelowOneSlice() {
        assertFails(Cli.run("scan", FIB19.toString(), "--location", Cli.freshStore(dir, "budget"), "--max-memory", "1KiB"),
                "within --max-memory 1024 bytes: it needs at least ");
    }

    @Test
    void clusterModeNeedsIndexAndCount() {
        assertFails(Cli.run("scan", FIB19.toString(), "--location", Cli.freshStore(dir, "half"), "--worker-index", "0"),
                "give both --worker-index and --worker-count");
        assertFails(Cli.run("scan", FIB19.toString(), "--location", Cli.freshStore(dir, "half"), "--worker-index", "3",
                "--worker-count", "3"), "Cannot scan as worker 3 of 3");
    }

    @Test
    void missingLocationAndUnknownStorageType() {
        assertFails(Cli.run("scan", FIB19.toString()), "Missing required option 'location'");
        assertFails(Cli.run("scan", FIB19.toString(), "--location", "x", "--storage-type", "nosuch"),
                "nosuch");
    }

    private Cli.Run scan(Path data) {
        return Cli.run("scan", data.toString(), "--location", Cli.freshStore(dir, "bad"), "--quiet");
    }

    private static void assertFails(Cli.Run run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("pocaduck: ").contains(message);
    }
}
