package org.pocaduck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pocaduck.Query;
import org.pocaduck.Store;
import org.pocaduck.StoreStats;

/**
 * Writes the totals of the benchmarks' read stores ({@link BenchData#readStore}, written first
 * if missing) as JSON, for the stored-bytes columns of the performance page.
 *
 * <p>Usage: {@code StoreSizes <out.json> <storage>/<volume>...}; run with the same system
 * properties as the benchmarks ({@code pocaduck.bench.dir}, {@code pocaduck.bench.trino}).
 */
public final class StoreSizes {
    private StoreSizes() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: StoreSizes <out.json> <storage>/<volume>...");
            System.exit(2);
        }
        List<Map<String, Object>> stores = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String storage = args[i].substring(0, args[i].indexOf('/'));
            String volume = args[i].substring(args[i].indexOf('/') + 1);
            try (Store store = BenchData.readStore(storage, volume); Query query = store.query()) {
                StoreStats stats = query.stats();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("storage", storage);
                entry.put("volume", volume);
                entry.put("labels", stats.labels());
                entry.put("points", stats.points());
                entry.put("label_block_pairs", stats.labelBlockPairs());
                entry.put("files", stats.files());
                entry.put("bytes", stats.bytes());
                stores.add(entry);
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[0]).toFile(), stores);
    }
}
