package org.pocaduck.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSummaries;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.testkit.LabelStats;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.testkit.VolumeBlocks;

/**
 * Every label of the neuroproof gt_supervoxels volume, written as 64^3 blocks by two worker
 * threads, consolidated, and checked against {@code gt_supervoxels.label_stats.csv}.
 */
class TestRealData {
    @TempDir
    Path tempDir;

    @Test
    void gtSupervoxelsByTwoWorkersMatchesTheLabelStats() throws Exception {
        RawLabelVolume volume = RawLabelVolume.read(SharedData.resolve("neuroproof_ts2/gt_supervoxels.u64.raw.gz"));
        LabelStats stats = LabelStats.read(SharedData.resolve("neuroproof_ts2/gt_supervoxels.label_stats.csv"));
        assertThat(stats.byLabel()).hasSize(21_317);
        assertThat(stats.totalLabelBlocks()).isEqualTo(38_952);
        List<VolumeBlocks.Block> blocks = VolumeBlocks.blocks(volume);
        // A small buffer makes each worker flush several Parquet files.
        StorageConfig config = StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE)
                .location(tempDir.resolve("store")).option(Settings.BUFFER_BYTES, "64MiB").build();
        try (Store store = PocaDuck.open(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Long>> written = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    int worker = w;
                    written.add(pool.submit(() -> {
                        try (Ingestor ingestor = store.ingestor("worker-" + worker)) {
                            long points = VolumeBlocks.write(ingestor, blocks, worker, 2);
                            ingestor.commit();
                            return points;
                        }
                    }));
                }
                assertThat(written.get(0).get() + written.get(1).get()).isEqualTo(250L * 250 * 250);
            } finally {
                pool.shutdownNow();
            }
            store.consolidate();
        }
        Map<Long, PointCloud> expected = volume.pointsByLabel();
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            assertThat(query.labels()).containsExactly(stats.labels());
            StoreStats totals = query.stats();
            assertThat(totals.labels()).isEqualTo(21_317);
            assertThat(totals.points()).isEqualTo(250L * 250 * 250);
            assertThat(totals.labelBlockPairs()).isEqualTo(38_952);
            try (LabelSummaries summaries = query.labelSummaries()) {
                assertThat(stats.differences(summaries, true)).isEmpty();
            }
            int checked = 0;
            for (LabelStats.Row row : stats.byLabel().values()) {
                long label = row.label();
                // Points themselves: every 20th label, the label 0 marker and the largest labels.
                if (checked++ % 20 == 0 || label == 0 || row.voxelCount() > 100_000) {
                    assertThat(query.blocks(label)).as("blocks of label %s", Labels.format(label))
                            .hasSize((int) row.blocks64());
                    assertThat(query.points(label).sorted()).as("points of label %s", Labels.format(label))
                            .isEqualTo(expected.get(label).sorted());
                }
            }
        }
    }
}
