package org.pocaduck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.pocaduck.BlockChunks;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.Query;
import org.pocaduck.QueryTiming;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.Timed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pocaduck compare}: runs one seeded query workload on several stores, one store after
 * another, and reports each store's latency distribution and what its queries touched, from the
 * queries' {@link QueryTiming} records: a table on standard output, and {@code compare.json},
 * {@code compare.md} and {@code compare.png} (latency by percentile per store) in {@code --output}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs one query workload on several stores and compares their latencies.",
            "Labels come from the first store (seeded random sample, or all); every store answers the same"
                + " labels in the same order after a warm-up. Writes compare.json, compare.md and compare.png."})
final class CompareCommand implements Callable<Integer> {
    /** The operations a workload can time. */
    enum Operation { points, count, blocks, streamBlocks }

    /** The chunk size of {@code --operation streamBlocks}. */
    static final int STREAM_CHUNK_POINTS = 1_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "[NAME=]STORE",
            description = {"A store to compare (repeatable, at least one): a store.properties file, or "
                + "TYPE:LOCATION[,key=value...] (e.g. parquet-duckdb:/data/s, "
                + "tabular:trino://127.0.0.1:8080,catalog=memory). NAME names it in the report (default: the "
                + "storage type, numbered if repeated)."})
    List<String> stores = new ArrayList<>();

    @Option(names = "--labels", paramLabel = "N|all", defaultValue = "100",
            description = "How many labels to query: a count drawn at random with --seed, or 'all' (default ${DEFAULT-VALUE}).")
    String labels;

    @Option(names = "--operation", defaultValue = "points",
            description = {"What each query does: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). "
                + "streamBlocks reads the label block by block (chunks of at most 1,000,000 points) to the end."})
    Operation operation;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the label sample and order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warmup", defaultValue = "10",
            description = "Untimed queries per store before the timed ones (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--against", paramLabel = "[NAME=]COMPARE_JSON",
            description = {"The compare.json of an earlier run of the same workload (another build, another "
                + "day), reported before this run's stores in the table and chart (repeatable). Its stores are "
                + "named NAME/STORE (NAME defaults to the file's directory name). It must hold the same "
                + "--operation, --labels, --seed and query count, and the same points as this run."})
    List<String> against = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "compare-report", paramLabel = "DIR",
            description = "Directory for compare.json, compare.md and compare.png (default ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (warmup < 0) {
            throw new ParameterException(spec.commandLine(), "Cannot compare: --warmup " + warmup + " is negative");
        }
        Map<String, StorageConfig> configs = new LinkedHashMap<>();
        for (String store : stores) {
            StoreSpec parsed = StoreSpec.parse(store);
            String name = parsed.name();
            for (int n = 2; configs.containsKey(name); n++) {
                name = parsed.name() + "-" + n;
            }
            configs.put(name, parsed.config());
        }
        long[] workload = workload(configs.values().iterator().next());
        List<CompareStats> earlier = new ArrayList<>();
        for (String file : against) {
            earlier.addAll(earlierRun(file, workload.length));
        }
        PrintWriter err = spec.commandLine().getErr();
        List<CompareStats> results = new ArrayList<>();
        long[] reference = null;
        for (Map.Entry<String, StorageConfig> entry : configs.entrySet()) {
            err.printf("compare: %s (%s %s): %d %s queries%n", entry.getKey(), entry.getValue().storageType(),
                    entry.getValue().location(), workload.length, operation);
            err.flush();
            long[] sizes = new long[workload.length];
            long[] openNanos = new long[1];
            List<QueryTiming> timings = run(entry.getValue(), workload, sizes, openNanos);
            results.add(CompareStats.of(entry.getKey(), entry.getValue().storageType(), entry.getValue().location(),
                    timings, sizes, reference, operation != Operation.blocks, openNanos[0]));
            if (reference == null) {
                reference = sizes;
            }
        }
        for (CompareStats before : earlier) {
            if (before.points() != results.getFirst().points()) {
                throw new ParameterException(spec.commandLine(), "Cannot compare against " + before.store() + ": it "
                        + "returned " + before.points() + " points where " + results.getFirst().store() + " returned "
                        + results.getFirst().points() + "; the runs did not read the same labels");
            }
        }
        results.addAll(0, earlier);
        CompareReport report = new CompareReport(operation.name(), workload.length, seed, labels, results);
        Files.createDirectories(output);
        report.writeJson(output.resolve("compare.json"));
        report.writeMarkdown(output.resolve("compare.md"));
        report.writeChart(output.resolve("compare.png"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.text());
        out.println("wrote " + output.resolve("compare.json") + ", compare.md, compare.png");
        out.flush();
        return results.stream().anyMatch(r -> r.mismatches() > 0) ? 1 : 0;
    }

    /**
     * The stores of an earlier run's compare.json, checked to be of this run's workload.
     *
     * @param spec {@code [NAME=]FILE}
     */
    private List<CompareStats> earlierRun(String spec, int queries) {
        int eq = spec.indexOf('=');
        Path file = Path.of(eq < 0 ? spec : spec.substring(eq + 1));
        Path parent = file.toAbsolutePath().getParent();
        String name = eq < 0 ? (parent.getFileName() == null ? "earlier" : parent.getFileName().toString())
                : spec.substring(0, eq);
        JsonNode document;
        try {
            document = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ParameterException(this.spec.commandLine(), "Cannot compare against " + file + ": " + e.getMessage());
        }
        String[][] same = {
            {"operation", operation.name()}, {"labels", labels}, {"seed", Long.toString(seed)},
            {"queries", Integer.toString(queries)}};
        for (String[] key : same) {
            JsonNode value = document.get(key[0]);
            if (value == null || !value.asText().equals(key[1])) {
                throw new ParameterException(this.spec.commandLine(), "Cannot compare against " + file + ": its "
                        + key[0] + " is " + (value == null ? "missing" : "'" + value.asText() + "'") + ", this run's is '"
                        + key[1] + "'");
            }
        }
        List<CompareStats> stores = new ArrayList<>();
        for (JsonNode store : document.path("stores")) {
            stores.add(CompareStats.fromJson(name + "/" + store.get("store").asText(), store));
        }
        if (stores.isEmpty()) {
            throw new ParameterException(this.spec.commandLine(), "Cannot compare against " + file + ": it holds no stores");
        }
        return stores;
    }

    /** The labels to query, from the first store: all in unsigned order, or a seeded sample. */
    private long[] workload(StorageConfig first) {
        long[] all;
        try (Store store = PocaDuck.openExisting(first); Query query = store.query()) {
            all = query.labels();
        }
        if (all.length == 0) {
            throw new IllegalArgumentException("Cannot compare: the first store (" + first.location()
                    + ") holds no labels");
        }
        SplittableRandom random = new SplittableRandom(seed);
        if (labels.equalsIgnoreCase("all")) {
            return all;
        }
        int n;
        try {
            n = Integer.parseInt(labels);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "Cannot compare: --labels " + labels
                    + " is neither a count nor 'all'");
        }
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "Cannot compare: --labels " + n + " must be at least 1");
        }
        long[] shuffled = all.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        if (n <= shuffled.length) {
            return Arrays.copyOf(shuffled, n);
        }
        // More queries than labels: repeat labels, drawn at random.
        long[] drawn = new long[n];
        for (int i = 0; i < n; i++) {
            drawn[i] = i < shuffled.length ? shuffled[i] : all[random.nextInt(all.length)];
        }
        return drawn;
    }

    private List<QueryTiming> run(StorageConfig config, long[] workload, long[] sizes, long[] openNanos) {
        List<QueryTiming> timings = new ArrayList<>(workload.length);
        long start = System.nanoTime();
        try (Store store = PocaDuck.openExisting(config); Query query = store.query()) {
            openNanos[0] = System.nanoTime() - start;
            for (int i = 0; i < warmup; i++) {
                one(query, workload[i % workload.length]);
            }
            for (int i = 0; i < workload.length; i++) {
                Timed<?> timed = one(query, workload[i]);
                timings.add(timed.timing());
                sizes[i] = switch (timed.result()) {
                    case PointCloud cloud -> cloud.size();
                    case Long count -> count;
                    case List<?> blocks -> blocks.size();
                    default -> throw new IllegalStateException("Cannot compare: unexpected result " + timed.result());
                };
            }
        }
        return timings;
    }

    private Timed<?> one(Query query, long label) {
        return switch (operation) {
            case points -> query.pointsTimed(label);
            case count -> query.pointCountTimed(label);
            case blocks -> query.blocksTimed(label);
            case streamBlocks -> {
                long points = 0;
                try (BlockChunks chunks = query.streamBlocks(label, STREAM_CHUNK_POINTS)) {
                    while (chunks.hasNext()) {
                        points += chunks.next().points().size();
                    }
                    yield new Timed<>(points, chunks.timing());
                }
            }
        };
    }
}
