package org.pocaduck.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.Box;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.Query;
import org.pocaduck.Store;

/**
 * Real clients of the server on gt_bodies: a Python program with numpy (what a Python user runs)
 * and headless Chromium running neuroglancer from the same origin. Where python3 with numpy is
 * absent the Python test is skipped with the reason. A missing browser or neuroglancer build skips
 * the browser test too, except under CI ({@code CI=true}), where {@code .ci/run} installs them and
 * a missing one fails.
 */
class TestRealClients {
    /** A mid-sized body: 1,556,822 points, downsampled for neuroglancer. */
    private static final long SHOWN = 2150L;

    @TempDir
    static Path dir;

    private static Store bodies;
    private static Query query;
    private static PointServer server;
    private static final List<PointServer.Request> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        bodies = PocaDuck.openExisting(GtBodies.scan(dir.resolve("gt_bodies")));
        query = bodies.query();
        ServerSettings settings = ServerSettings.defaults().withAddress("127.0.0.1", 0).withVoxelSize(
                ServerSettings.VoxelSize.parse("10"));
        Optional<Path> neuroglancer = neuroglancerBuild();
        if (neuroglancer.isPresent()) {
            settings = settings.withNeuroglancer(neuroglancer.get());
        }
        server = PointServer.start(Map.of("gt_bodies", bodies), settings, requests::add);
    }

    @AfterAll
    static void stop() {
        server.close();
        query.close();
        bodies.close();
    }

    private static void requireOrSkip(boolean present, String reason) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason + " (CI=true: .ci/run installs it)");
        }
        Assumptions.assumeTrue(present, reason);
    }

    private static Process run(Path workDir, List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    }

    private static String finish(Process process, int seconds) throws IOException, InterruptedException {
        try (InputStream out = process.getInputStream()) {
            byte[] text = out.readAllBytes();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + seconds + " s: " + new String(text, StandardCharsets.UTF_8));
            }
            return new String(text, StandardCharsets.UTF_8);
        }
    }

    // ---- Python ----

    private static boolean hasNumpy() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String writeExpected(Path file, PointCloud points) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(points.valueCount() * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(points.asReadOnlyBuffer());
        Files.write(file, bytes.array());
        return file.toString();
    }

    @Test
    void numpyLoadsThePointsOfRealLabelsExactlyAsQueryReadsThem() throws Exception {
        Assumptions.assumeTrue(hasNumpy(),
                "python3 with numpy is not on this machine: the Python client test needs it");
        List<String> names = List.of("x", "y", "z", "supervoxel_id");
        Box box = new Box(0, 100, 0, 249, 249, 60);
        Map<String, PointCloud> cases = new LinkedHashMap<>();
        for (long label : new long[] {1393L, 9508L, SHOWN}) {
            cases.put("/api/gt_bodies/points/" + label + "?format=npy", query.points(label));
        }
        cases.put("/api/gt_bodies/points/" + SHOWN + "?minx=0&miny=100&minz=0&maxx=249&maxy=249&maxz=60",
                query.points(SHOWN, PointFilter.ALL.withBox(box)));
        cases.put("/api/gt_bodies/points/" + GtBodies.LARGEST + "?scale=3", query.points(GtBodies.LARGEST,
                PointFilter.ALL.withScale(3)));
        List<Map<String, Object>> list = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, PointCloud> entry : cases.entrySet()) {
            list.add(Map.of("path", entry.getKey(), "dimensions", names,
                    "expected", writeExpected(dir.resolve("expected-" + i++ + ".raw"), entry.getValue())));
        }
        long[] labels = query.labels();
        List<String> labelTexts = new ArrayList<>();
        for (long label : labels) {
            labelTexts.add(Labels.format(label));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("base", server.uri().toString());
        spec.put("cases", list);
        spec.put("sizes", Map.of("url", server.uri() + "/api/gt_bodies/sizes", "labels", List.of(1393, 114488, 7),
                "counts", List.of(8, 3_702_057, 0)));
        spec.put("listlabels", Map.of("url", server.uri() + "/api/gt_bodies/listlabels", "labels", labelTexts));
        Path specFile = dir.resolve("cases.json");
        Responses.JSON.writeValue(specFile.toFile(), spec);
        Path script = dir.resolve("numpy_client.py");
        try (InputStream in = TestRealClients.class.getResourceAsStream("numpy_client.py")) {
            Files.copy(in, script);
        }
        Process python = run(dir, List.of("python3", script.toString(), specFile.toString()));
        String out = finish(python, 120);
        assertThat(python.exitValue()).as(out).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("OK ")).count()).as(out).isEqualTo(cases.size() + 2);
    }

    // ---- neuroglancer in Chromium ----

    /** The neuroglancer build: -Dpocaduck.neuroglancer, POCADUCK_NEUROGLANCER, or scripts/neuroglancer-bundle's cache. */
    private static Optional<Path> neuroglancerBuild() {
        String configured = System.getProperty("pocaduck.neuroglancer", System.getenv("POCADUCK_NEUROGLANCER"));
        Path build = configured != null ? Paths.get(configured) : Paths.get(System.getProperty("user.home"),
                ".cache", "pocaduck", "neuroglancer", "2.37.5", "dist", "min");
        return Files.isRegularFile(build.resolve("index.html")) ? Optional.of(build) : Optional.empty();
    }

    private static Optional<String> chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Paths.get(dir, name))) {
                    return Optional.of(Paths.get(dir, name).toString());
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void neuroglancerFromTheSameOriginDrawsALabelsAnnotations() throws Exception {
        requireOrSkip(neuroglancerBuild().isPresent(), "the neuroglancer build is not in the cache: run "
                + "scripts/neuroglancer-bundle");
        Optional<String> chromium = chromium();
        requireOrSkip(chromium.isPresent(), "chromium is not on this machine: apt-get install -y chromium");
        Path shot = Paths.get("target", "neuroglancer-gt_bodies-" + SHOWN + ".png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        String relLabel = "/neuroglancer/gt_bodies/annotations/rel_label/" + SHOWN;
        requests.clear();
        int magenta = 0;
        try (Chromium browser = new Chromium(chromium.get(), Files.createTempDirectory(dir, "chromium"),
                server.neuroglancerView("gt_bodies", SHOWN).toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (requests.stream().noneMatch(r -> r.path().equals(relLabel)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(requests).as("requests the page made; chromium: " + browser.output()).anyMatch(r ->
                    r.method().equals("GET") && r.path().equals(relLabel) && r.status() == 200);
            // Then the viewer draws (SwiftShader, on the CPU): look until the points show.
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            byte[] png;
            do {
                Thread.sleep(500);
                png = browser.screenshot();
                magenta = magentaPixels(ImageIO.read(new java.io.ByteArrayInputStream(png)));
            } while (magenta < MIN_MAGENTA && System.nanoTime() < deadline);
            Files.write(shot, png);
        }
        assertThat(requests).anyMatch(r -> r.path().equals("/neuroglancer/gt_bodies/segment_properties/info"));
        assertThat(magenta).as("pixels of the annotation colour in " + shot + "; requests: " + requests)
                .isGreaterThan(MIN_MAGENTA);
    }

    /** Pixels of the annotation colour a drawn label shows at the least (the layer tab alone has about 400). */
    private static final int MIN_MAGENTA = 5000;

    /** Pixels of the points' colour (#ff00ff) below neuroglancer's top bar and layer tabs (the tab is magenta too). */
    private static int magentaPixels(BufferedImage image) {
        int magenta = 0;
        for (int y = 60; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) > 150 && (rgb & 0xFF) > 150 && ((rgb >> 8) & 0xFF) < 100) {
                    magenta++;
                }
            }
        }
        return magenta;
    }
}
