package org.pocaduck.parquet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.RawLabelVolume;
import org.pocaduck.testkit.SharedData;
import org.pocaduck.testkit.VolumeBlocks;

/**
 * A worker process for {@link TestCrashSafety}: writes its share of the first blocks of a volume
 * into a store and commits, printing {@code BLOCK n} after each block and {@code COMMITTED} at
 * the end, so the test can kill it mid-ingest.
 *
 * <p>Arguments: store directory, worker id, worker index, worker count, block limit, buffer size.
 */
public final class IngestWorkerMain {
    private IngestWorkerMain() {
    }

    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        String workerId = args[1];
        int worker = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        int blockLimit = Integer.parseInt(args[4]);
        String buffer = args[5];
        List<VolumeBlocks.Block> blocks = blocks(blockLimit);
        StorageConfig config = config(store, buffer);
        try (Store target = PocaDuck.open(config); Ingestor ingestor = target.ingestor(workerId)) {
            int written = 0;
            for (VolumeBlocks.Block block : blocks) {
                if (block.index() % workers != worker) {
                    continue;
                }
                for (Map.Entry<Long, PointCloud> e : block.clouds().entrySet()) {
                    ingestor.write(e.getKey(), block.id(), e.getValue());
                }
                System.out.println("BLOCK " + (++written));
                System.out.flush();
            }
            ingestor.commit();
        }
        System.out.println("COMMITTED");
        System.out.flush();
    }

    static List<VolumeBlocks.Block> blocks(int limit) {
        RawLabelVolume volume = RawLabelVolume.read(SharedData.resolve("neuroproof_ts2/gt_supervoxels.u64.raw.gz"));
        return VolumeBlocks.blocks(volume, limit);
    }

    static StorageConfig config(Path store, String buffer) {
        return StorageConfig.builder(ParquetDuckdbBackendFactory.STORAGE_TYPE).location(store)
                .option(Settings.BUFFER_BYTES, buffer).build();
    }
}
