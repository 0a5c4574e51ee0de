package org.pocaduck.tabular;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;
import org.pocaduck.Timed;
import org.pocaduck.PointCloud;

/**
 * Ingest and lookup benchmark of the tabular backend on the neuroproof gt_bodies volume (the
 * dedicated bench module comes later). Not a test: run it with {@code java} (see README).
 *
 * <p>Arguments: {@code duckdb <directory>} or {@code trino <trino://host:port>}, then optional
 * {@code key=value} store options (for example {@code encoding=array}, {@code compression=none}).
 * Prints ingest points/s (scanning excluded: blocks are scanned first) and points(label) latency
 * over every label (median, p90) and for the largest label (median of 5). System property
 * {@code bench.zblocks} limits the scan to the first layers of blocks.
 */
public final class TabularBench {
    private TabularBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TabularBench duckdb <directory> | trino <trino://host:port> [key=value...]");
            System.exit(2);
        }
        StorageConfig.Builder builder;
        String run = "bench_" + System.currentTimeMillis();
        if (args[0].equals("duckdb")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            builder = StorageConfig.builder("tabular").location(dir.resolve(run + ".duckdb").toString());
        } else {
            builder = StorageConfig.builder("tabular").location(args[1]).option("catalog", "memory")
                    .option("table", run).option("max_statement_length", "8000000");
        }
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            builder.option(kv[0], kv[1]);
        }
        StorageConfig config = builder.build();
        long t0 = System.nanoTime();
        // -Dbench.zblocks=N limits the scan to the first N layers of 64^3 blocks (of 4).
        List<GtBodies.Block> blocks = GtBodies.scan(Integer.getInteger("bench.zblocks", Integer.MAX_VALUE));
        System.out.printf("scanned gt_bodies into %d blocks in %.1f s%n", blocks.size(), (System.nanoTime() - t0) / 1e9);
        try (Store store = PocaDuck.open(config)) {
            long start = System.nanoTime();
            long points = GtBodies.ingest(store, blocks, 4);
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Query query = store.query()) {
                StoreStats stats = query.stats();
                System.out.printf("%s %s: ingest %d points in %.2f s = %.0f points/s; %d label-block pairs, "
                                + "%.1f MB payload (%.2f bytes/point)%n", args[0], config.options(), points, seconds,
                        points / seconds, stats.labelBlockPairs(), stats.bytes() / 1e6, (double) stats.bytes() / points);
                long[] labels = query.labels();
                // Warm up once, then time every label once.
                for (int i = 0; i < Math.min(20, labels.length); i++) {
                    query.points(labels[i]);
                }
                double[] millis = new double[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    Timed<PointCloud> timed = query.pointsTimed(labels[i]);
                    millis[i] = timed.timing().total().toNanos() / 1e6;
                }
                Arrays.sort(millis);
                List<Double> largest = new ArrayList<>();
                Timed<PointCloud> last = null;
                for (int i = 0; i < 5; i++) {
                    last = query.pointsTimed(GtBodies.LARGEST);
                    largest.add(last.timing().total().toNanos() / 1e6);
                }
                largest.sort(Double::compare);
                System.out.printf("points(label) over %d labels: median %.1f ms, p90 %.1f ms, max %.1f ms%n",
                        labels.length, millis[millis.length / 2], millis[(int) (millis.length * 0.9)],
                        millis[millis.length - 1]);
                System.out.printf("points(%s) (%d points): median of 5 %.1f ms (index %.1f, read %.1f, decode %.1f ms; "
                                + "%d rows, %.1f MB)%n", Labels.format(GtBodies.LARGEST), last.result().size(),
                        largest.get(2), last.timing().indexLookup().toNanos() / 1e6,
                        last.timing().dataRead().toNanos() / 1e6, last.timing().decode().toNanos() / 1e6,
                        last.timing().rowsRead(), last.timing().bytesRead() / 1e6);
            }
        }
        System.out.println("options: " + Map.copyOf(config.options()));
    }
}
