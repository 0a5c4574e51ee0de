package org.pocaduck.tabular;

import java.io.IOException;
import java.util.Map;
import org.pocaduck.Ingestor;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

/**
 * A worker process for {@link TestTabularIceberg}: opens a tabular store from its options (given
 * as {@code key=value} arguments after the location), writes {@link TestTabularIceberg#clouds()}
 * with a small write buffer, so that its rows are staged as several Parquet files, prints
 * {@code STAGED} and then waits on standard input before committing: the test kills it there,
 * between staging and registering.
 */
public final class StagedWorkerMain {
    private StagedWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        StorageConfig.Builder config = StorageConfig.builder("tabular").location(args[0]);
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.option(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try (Store store = PocaDuck.open(config.build()); Ingestor ingestor = store.ingestor("w0")) {
            for (Map.Entry<Long, PointCloud> e : TestTabularIceberg.clouds().entrySet()) {
                ingestor.write(e.getKey(), "b" + Long.remainderUnsigned(e.getKey(), 3), e.getValue());
            }
            System.out.println("STAGED");
            System.out.flush();
            System.in.read();
            ingestor.commit();
        }
        System.out.println("COMMITTED");
    }
}
