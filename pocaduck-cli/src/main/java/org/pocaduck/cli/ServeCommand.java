package org.pocaduck.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.options.StorageOptions;
import org.pocaduck.serve.PointServer;
import org.pocaduck.serve.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pocaduck serve}: serves stores over HTTP ({@link PointServer}) until Ctrl-C or SIGTERM,
 * then stops the server, closes the stores and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves stores read-only over HTTP: DVID-style endpoints under /api/STORE/ (points as npy, csv, "
                + "ply or raw; sizes, label lists, blocks) and neuroglancer precomputed annotations and segment "
                + "properties under /neuroglancer/STORE/. Runs until Ctrl-C or SIGTERM. See docs/serve.md."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StorageOptions storage;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The URL name of the --location store (default: the last part of its location).")
    String name;

    @Option(names = "--store", paramLabel = "[NAME=]STORE",
            description = "Another store to serve (repeatable): a store.properties file or TYPE:LOCATION[,key=value...].")
    List<String> stores = new ArrayList<>();

    @Option(names = "--port", defaultValue = "8000", paramLabel = "PORT",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on; 0.0.0.0 serves other machines too (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--annotation-limit", defaultValue = "" + ServerSettings.DEFAULT_ANNOTATION_LIMIT, paramLabel = "N",
            description = "Most points of one neuroglancer annotation list; larger labels are downsampled to the "
                    + "smallest scale that fits (default: ${DEFAULT-VALUE}).")
    int annotationLimit;

    @Option(names = "--segment-limit", defaultValue = "" + ServerSettings.DEFAULT_SEGMENT_LIMIT, paramLabel = "N",
            description = "Most labels in the neuroglancer segment properties, the largest first (default: ${DEFAULT-VALUE}).")
    int segmentLimit;

    @Option(names = "--voxel-size", defaultValue = "8", paramLabel = "NM",
            description = "Voxel size in nanometres for neuroglancer, X,Y,Z or one for all (default: ${DEFAULT-VALUE}).")
    String voxelSize;

    @Option(names = "--neuroglancer", paramLabel = "DIR",
            description = "Serve this neuroglancer build (dist/min of @janelia-flyem/neuroglancer; "
                    + "scripts/neuroglancer-bundle fetches it) at /ng/, and print a view of each store's largest label.")
    Path neuroglancer;

    /** Set once the server is up, for tests that run the command in-process. */
    volatile PointServer running;
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings = ServerSettings.defaults().withAddress(bind, port)
                .withLimits(annotationLimit, segmentLimit).withVoxelSize(ServerSettings.VoxelSize.parse(voxelSize));
        if (neuroglancer != null) {
            settings = settings.withNeuroglancer(neuroglancer);
        }
        Map<String, StorageConfig> configs = configs();
        Map<String, Store> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, StorageConfig> entry : configs.entrySet()) {
                opened.put(entry.getKey(), PocaDuck.openExisting(entry.getValue()));
            }
            try (PointServer server = PointServer.start(opened, settings)) {
                onSignals();
                printStarted(server, configs);
                running = server;
                stop.await();
            }
        } finally {
            running = null;
            opened.values().forEach(Store::close);
        }
        spec.commandLine().getErr().println("pocaduck serve: stopped");
        spec.commandLine().getErr().flush();
        return 0;
    }

    /** Stops the server: what Ctrl-C and SIGTERM do. */
    void stop() {
        stop.countDown();
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM stop the server instead of the JVM, so that the stores close
     * and the exit code is 0 as for any command that finished; where the JVM does not let signals
     * be handled ({@code -Xrs}), they end it as usual.
     */
    @SuppressWarnings("removal")
    private void onSignals() {
        for (String signal : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop());
            } catch (IllegalArgumentException e) {
                // This JVM keeps the signal to itself: it ends the process as usual.
            }
        }
    }

    private Map<String, StorageConfig> configs() {
        Map<String, StorageConfig> configs = new LinkedHashMap<>();
        if (storage.isGiven()) {
            StorageConfig config = storage.toConfig();
            configs.put(name != null ? name : nameOf(config.location()), config);
        } else if (name != null) {
            throw new IllegalArgumentException("Cannot name the store '" + name + "': --name names the --location store,"
                    + " and none is given");
        }
        for (String text : stores) {
            StoreSpec parsed = StoreSpec.parse(text);
            String storeName = hasName(text) ? parsed.name() : nameOf(parsed.config().location());
            if (configs.put(storeName, parsed.config()) != null) {
                throw new IllegalArgumentException("Cannot serve two stores named '" + storeName + "': name them with "
                        + "--name or NAME=STORE");
            }
        }
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("Cannot serve: give a store with --location (or --config), or --store");
        }
        return configs;
    }

    /** Whether a --store value starts with NAME= (the rule of {@link StoreSpec#parse}). */
    private static boolean hasName(String text) {
        int eq = text.indexOf('=');
        int colon = text.indexOf(':');
        return eq > 0 && (colon < 0 || eq < colon) && !text.substring(0, eq).contains(",");
    }

    /** A URL name from a location: its last path part, other characters than [A-Za-z0-9._-] as '_'. */
    static String nameOf(String location) {
        String trimmed = location.replaceAll("[/\\\\]+$", "");
        String last = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1)
                .replaceAll("[^A-Za-z0-9._-]", "_");
        if (last.isEmpty() || !Character.isLetterOrDigit(last.charAt(0))) {
            last = "store" + (last.isEmpty() ? "" : "_" + last);
        }
        return last.length() > 128 ? last.substring(0, 128) : last;
    }

    private void printStarted(PointServer server, Map<String, StorageConfig> configs) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("pocaduck serve: %d store(s) on %s (Ctrl-C stops)%n", configs.size(), server.uri());
        configs.forEach((storeName, config) -> {
            out.printf("  %s (%s:%s)%n", storeName, config.storageType(), config.location());
            out.printf("    %s/api/%s/info%n", server.uri(), storeName);
            out.printf("    %s/neuroglancer/%s/annotations (precomputed annotations)%n", server.uri(), storeName);
            if (neuroglancer != null) {
                OptionalLong largest = server.largestLabel(storeName);
                if (largest.isPresent()) {
                    out.printf("    %s (neuroglancer, label %s)%n", server.neuroglancerView(storeName,
                            largest.getAsLong()), Labels.format(largest.getAsLong()));
                }
            }
        });
        out.flush();
    }
}
