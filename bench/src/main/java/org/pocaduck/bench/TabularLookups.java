package org.pocaduck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.pocaduck.LabelChunks;
import org.pocaduck.LabelSelection;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;

/**
 * Label reads of a tabular store on Trino against Trino's own round trip, in one run: the
 * latency of {@code SELECT 1} on a plain JDBC connection to the same server, of
 * {@code points(label)} for random labels (one statement each), and of {@code streamLabels} over
 * 1,000 labels (random ones, and 1,000 consecutive ones as a range), whose points one statement
 * reads. Writes the figures as JSON for the performance page.
 *
 * <p>Usage: {@code TabularLookups <out.json> <key=value>...}: the store's settings as
 * {@link StorageConfig#fromMap}, {@code location} a {@code trino://host:port} address. The labels
 * are drawn with a fixed seed; every series is measured after a warm-up of the same kind.
 */
public final class TabularLookups {
    private static final int ROUND_TRIPS = 100;
    private static final int LOOKUPS = 200;
    private static final int BATCH = 1000;
    private static final int BATCH_ROUNDS = 5;

    private TabularLookups() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        if (args.length < 2) {
            System.err.println("usage: TabularLookups <out.json> <key=value>...");
            System.exit(2);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        StorageConfig config = StorageConfig.fromMap(settings);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("select1", selectOne(config.location()));
        try (Store store = PocaDuck.open(config); Query query = store.query()) {
            long[] labels = query.labels();
            SplittableRandom random = new SplittableRandom(42);
            out.put("labels", labels.length);
            out.put("lookup", lookups(query, labels, random));
            long[] drawn = random.longs(BATCH, 0, labels.length).map(i -> labels[(int) i]).distinct().toArray();
            Labels.sortUnsigned(drawn);
            out.put("batch_listed", batch(query, LabelSelection.of(drawn), drawn.length));
            int first = random.nextInt(Math.max(1, labels.length - BATCH));
            int last = Math.min(labels.length, first + BATCH) - 1;
            out.put("batch_range", batch(query, LabelSelection.range(labels[first], labels[last]), last - first + 1));
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[0]).toFile(), out);
    }

    /** {@code SELECT 1} on its own JDBC connection to the store's server: the engine's floor per statement. */
    private static Map<String, Object> selectOne(String location) throws SQLException {
        if (!location.startsWith("trino://")) {
            throw new IllegalArgumentException("Cannot measure the round trip of '" + location
                    + "': the location must be trino://host:port");
        }
        Properties properties = new Properties();
        properties.setProperty("user", "pocaduck");
        try (Connection connection = DriverManager.getConnection("jdbc:" + location, properties);
                Statement statement = connection.createStatement()) {
            double[] ms = new double[ROUND_TRIPS];
            for (int round = -10; round < ROUND_TRIPS; round++) {
                long start = System.nanoTime();
                try (ResultSet rs = statement.executeQuery("SELECT 1")) {
                    rs.next();
                }
                if (round >= 0) {
                    ms[round] = (System.nanoTime() - start) / 1e6;
                }
            }
            return percentiles(ms, ROUND_TRIPS);
        }
    }

    private static Map<String, Object> lookups(Query query, long[] labels, SplittableRandom random) {
        double[] ms = new double[LOOKUPS];
        long points = 0;
        for (int round = -20; round < LOOKUPS; round++) {
            long label = labels[random.nextInt(labels.length)];
            long start = System.nanoTime();
            int size = query.points(label).size();
            if (round >= 0) {
                ms[round] = (System.nanoTime() - start) / 1e6;
                points += size;
            }
        }
        Map<String, Object> result = percentiles(ms, LOOKUPS);
        result.put("points", points);
        return result;
    }

    private static Map<String, Object> batch(Query query, LabelSelection selection, int labelCount) {
        double[] ms = new double[BATCH_ROUNDS];
        long points = 0;
        for (int round = -1; round < BATCH_ROUNDS; round++) {
            long start = System.nanoTime();
            long read = 0;
            try (LabelChunks chunks = query.streamLabels(selection, 1 << 20)) {
                while (chunks.hasNext()) {
                    read += chunks.next().points().size();
                }
            }
            if (round >= 0) {
                ms[round] = (System.nanoTime() - start) / 1e6;
                points = read;
            }
        }
        Map<String, Object> result = percentiles(ms, BATCH_ROUNDS);
        result.put("labels", labelCount);
        result.put("points", points);
        result.put("ms_per_label", (double) result.get("p50_ms") / labelCount);
        return result;
    }

    private static Map<String, Object> percentiles(double[] ms, int count) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", count);
        result.put("p50_ms", sorted[(count - 1) / 2]);
        result.put("p99_ms", sorted[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)]);
        result.put("min_ms", sorted[0]);
        return result;
    }
}
