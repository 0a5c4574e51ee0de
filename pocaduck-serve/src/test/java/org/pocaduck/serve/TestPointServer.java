package org.pocaduck.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pocaduck.BlockChunks;
import org.pocaduck.Box;
import org.pocaduck.Ingestor;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PocaDuck;
import org.pocaduck.PointCloud;
import org.pocaduck.PointFilter;
import org.pocaduck.PointSchema;
import org.pocaduck.Query;
import org.pocaduck.StorageConfig;
import org.pocaduck.Store;
import org.pocaduck.testkit.SharedData;

/**
 * Every endpoint of the server against real stores: gt_bodies with supervoxel ids (scanned from
 * {@code shared/data}), a memory store of extreme labels and coordinates, and a store whose files
 * are deleted under the running server.
 */
class TestPointServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TWO_POW_63 = Long.MIN_VALUE;
    private static final long MAX_LABEL = -1L;
    /** A small body of gt_bodies: 8 points (label_stats: z 2..4, y 182..184, x 181..182). */
    private static final long SMALL = 1393L;

    @TempDir
    static Path dir;

    private static Store bodies;
    private static Store extremes;
    private static Store broken;
    private static Query query;
    private static PointServer server;
    private static Http http;
    private static final List<PointServer.Request> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        bodies = PocaDuck.openExisting(GtBodies.scan(dir.resolve("gt_bodies")));
        query = bodies.query();
        extremes = PocaDuck.open(StorageConfig.builder("memory").location("serve-extremes-" + System.nanoTime())
                .schema(PointSchema.parse("x,y,z")).build());
        try (Ingestor ingestor = extremes.ingestor("w")) {
            ingestor.write(MAX_LABEL, "0_0_0", PointCloud.ofRows(3, new long[] {-5, -1, 3}, new long[] {-6, -2, 4}));
            ingestor.write(TWO_POW_63, "0_0_0", PointCloud.ofRows(3, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}));
            ingestor.write(7L, "b", PointCloud.ofRows(3, new long[] {1, 2, 3}));
            ingestor.commit();
        }
        extremes.consolidate();
        Path brokenDir = dir.resolve("broken");
        StorageConfig brokenConfig = StorageConfig.builder("parquet-duckdb").location(brokenDir.toString())
                .option("cache_bytes", "0").build();
        broken = PocaDuck.open(brokenConfig);
        try (Ingestor ingestor = broken.ingestor("w")) {
            ingestor.write(5L, "0_0_0", PointCloud.ofRows(3, new long[] {1, 2, 3}));
            ingestor.commit();
        }
        broken.consolidate();
        Map<String, Store> stores = new LinkedHashMap<>();
        stores.put("gt_bodies", bodies);
        stores.put("extremes", extremes);
        stores.put("broken", broken);
        server = PointServer.start(stores, ServerSettings.defaults().withAddress("127.0.0.1", 0).withLimits(20_000, 100),
                requests::add);
        http = new Http(server.uri());
        // The broken store's data files go away under the running server: its reads fail.
        try (Stream<Path> files = Files.walk(brokenDir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
                Files.delete(file);
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        server.close();
        query.close();
        bodies.close();
        extremes.close();
        broken.close();
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bounds columns of gt_bodies.label_stats.csv by label: zmin, zmax, ymin, ymax, xmin, xmax. */
    private static Map<Long, long[]> statsBounds() throws IOException {
        Map<Long, long[]> bounds = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(SharedData.resolve("neuroproof_ts2/gt_bodies.label_stats.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            bounds.put(Labels.parse(f[0]), Arrays.stream(f, 3, 9).mapToLong(Long::parseLong).toArray());
        }
        return bounds;
    }

    private static PointCloud npyPoints(HttpResponse<byte[]> response, int dimensions) {
        return PointCloud.wrap(Http.Npy.read(response.body()).values(), dimensions);
    }

    // ---- DVID-style endpoints ----

    @Test
    void infoGivesSchemaCountsAndExactBounds() throws IOException {
        JsonNode info = json(http.get("/api/gt_bodies/info"));
        long labels = GtBodies.STATS.byLabel().keySet().stream().filter(l -> l != 0).count();
        long points = GtBodies.STATS.byLabel().values().stream().filter(r -> r.label() != 0)
                .mapToLong(r -> r.voxelCount()).sum();
        assertThat(info.get("store").asText()).isEqualTo("gt_bodies");
        assertThat(info.get("storage_type").asText()).isEqualTo("parquet-duckdb");
        assertThat(info.get("dimensions").toString()).isEqualTo("[\"x\",\"y\",\"z\",\"supervoxel_id\"]");
        assertThat(info.get("labels").asLong()).isEqualTo(labels);
        assertThat(info.get("points").asLong()).isEqualTo(points);
        long[] min = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long[] max = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        statsBounds().forEach((label, b) -> {
            if (label != 0) {
                for (int axis = 0; axis < 3; axis++) {
                    min[axis] = Math.min(min[axis], b[4 - 2 * axis]);
                    max[axis] = Math.max(max[axis], b[5 - 2 * axis]);
                }
            }
        });
        assertThat(info.get("bounds").get("minvoxel").toString()).isEqualTo(JSON.writeValueAsString(min));
        assertThat(info.get("bounds").get("maxvoxel").toString()).isEqualTo(JSON.writeValueAsString(max));
        assertThat(json(http.get("/api")).get("stores").toString()).isEqualTo("[\"broken\",\"extremes\",\"gt_bodies\"]");
    }

    @Test
    void npyIsAStructuredArrayOfTheLabelsPointsWithExactLength() {
        for (long label : new long[] {SMALL, 2012L, 9508L}) {
            HttpResponse<byte[]> response = http.get("/api/gt_bodies/points/" + label + "?format=npy");
            assertThat(response.statusCode()).isEqualTo(200);
            Http.Npy npy = Http.Npy.read(response.body());
            long n = query.pointCount(label);
            assertThat(npy.header()).startsWith("{'descr': [('x', '<i8'), ('y', '<i8'), ('z', '<i8'), "
                    + "('supervoxel_id', '<u8')], 'fortran_order': False, 'shape': (" + n + ",), }").endsWith("\n");
            assertThat((10 + npy.header().length()) % 64).isZero();
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
            assertThat(response.headers().firstValue(PointServer.POINTS_HEADER)).hasValue(Long.toString(n));
            assertThat(response.headers().firstValue(PointServer.SCALE_HEADER)).hasValue("0");
            assertThat(response.headers().firstValue(PointServer.DIMENSIONS_HEADER)).hasValue("x,y,z,supervoxel_id");
            assertThat(PointCloud.wrap(npy.values(), 4).sorted()).isEqualTo(query.points(label).sorted());
        }
        // The default format is npy.
        assertThat(npyPoints(http.get("/api/gt_bodies/points/" + SMALL), 4).sorted())
                .isEqualTo(query.points(SMALL).sorted());
    }

    @Test
    void csvPlyAndRawHoldTheSamePoints() {
        PointCloud want = query.points(9508L).sorted();
        String csv = Http.text(http.get("/api/gt_bodies/points/9508?format=csv"));
        List<String> lines = csv.lines().toList();
        assertThat(lines.getFirst()).isEqualTo("x,y,z,supervoxel_id");
        long[] values = lines.subList(1, lines.size()).stream()
                .flatMap(l -> Arrays.stream(l.split(","))).mapToLong(Labels::parse).toArray();
        assertThat(PointCloud.wrap(values, 4).sorted()).isEqualTo(want);

        HttpResponse<byte[]> raw = http.get("/api/gt_bodies/points/9508?format=raw");
        assertThat(raw.body().length).isEqualTo(want.size() * 32);
        long[] rawValues = new long[want.size() * 4];
        ByteBuffer.wrap(raw.body()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(rawValues);
        assertThat(PointCloud.wrap(rawValues, 4).sorted()).isEqualTo(want);

        HttpResponse<byte[]> ply = http.get("/api/gt_bodies/points/9508?format=ply");
        String body = new String(ply.body(), StandardCharsets.ISO_8859_1);
        int end = body.indexOf("end_header\n") + "end_header\n".length();
        assertThat(body.substring(0, end)).isEqualTo("ply\nformat binary_little_endian 1.0\ncomment pocaduck label 9508\n"
                + "comment pocaduck dimensions x,y,z,supervoxel_id\nelement vertex " + want.size()
                + "\nproperty double x\nproperty double y\nproperty double z\nend_header\n");
        ByteBuffer vertices = ByteBuffer.wrap(ply.body(), end, ply.body().length - end).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(vertices.remaining()).isEqualTo(want.size() * 24);
        long[] xyz = new long[want.size() * 3];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (long) vertices.getDouble();
        }
        assertThat(PointCloud.wrap(xyz, 3).sorted()).isEqualTo(LabelPoints.xyz(want).sorted());
        assertThat(http.get("/api/gt_bodies/points/9508?format=hdf5").statusCode()).isEqualTo(400);
    }

    @Test
    void blocksBoxAndScaleGiveWhatTheQueryGives() {
        long label = 2150L;
        List<String> blocks = query.blocks(label);
        String two = blocks.get(0) + "," + blocks.get(blocks.size() - 1);
        PointFilter chosen = PointFilter.ALL.withBlocks(Set.of(blocks.get(0), blocks.get(blocks.size() - 1)));
        assertThat(npyPoints(http.get("/api/gt_bodies/points/2150?blocks=" + two), 4).sorted())
                .isEqualTo(query.points(label, chosen).sorted());
        Box box = new Box(10, 20, 30, 120, 200, 90);
        String boxed = "minx=10&miny=20&minz=30&maxx=120&maxy=200&maxz=90";
        HttpResponse<byte[]> inBox = http.get("/api/gt_bodies/points/2150?" + boxed);
        assertThat(npyPoints(inBox, 4).sorted()).isEqualTo(query.points(label, PointFilter.ALL.withBox(box)).sorted());
        // Only some of the box's bounds: the others are open.
        assertThat(npyPoints(http.get("/api/gt_bodies/points/2150?maxz=3&format=npy"), 4).sorted()).isEqualTo(query
                .points(label, PointFilter.ALL.withBox(new Box(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
                        Long.MAX_VALUE, Long.MAX_VALUE, 3))).sorted());
        HttpResponse<byte[]> scaled = http.get("/api/gt_bodies/points/2150?scale=2&" + boxed);
        assertThat(scaled.headers().firstValue(PointServer.SCALE_HEADER)).hasValue("2");
        assertThat(npyPoints(scaled, 4)).isEqualTo(query.points(label, PointFilter.ALL.withBox(box).withScale(2)));
        // A box keeping nothing: an empty array, not an error.
        HttpResponse<byte[]> none = http.get("/api/gt_bodies/points/" + SMALL + "?minx=0&maxx=10");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(Http.Npy.read(none.body()).values()).isEmpty();
        assertThat(Http.Npy.read(none.body()).header()).contains("'shape': (0,)");
        // csv of a large filtered label is streamed without a count first.
        String csv = Http.text(http.get("/api/gt_bodies/points/" + GtBodies.LARGEST + "?format=csv&" + boxed));
        assertThat(csv.lines().count() - 1).isEqualTo(query.points(GtBodies.LARGEST, PointFilter.ALL.withBox(box)).size());
    }

    @Test
    void maxDownsamplesToTheFirstScaleThatFitsOrRefuses() {
        HttpResponse<byte[]> capped = http.get("/api/gt_bodies/points/" + GtBodies.LARGEST + "?max=50000");
        int scale = Integer.parseInt(capped.headers().firstValue(PointServer.SCALE_HEADER).orElseThrow());
        PointCloud got = npyPoints(capped, 4);
        assertThat(got.size()).isLessThanOrEqualTo(50_000);
        assertThat(scale).isPositive();
        assertThat(got).isEqualTo(query.points(GtBodies.LARGEST, PointFilter.ALL.withScale(scale)));
        assertThat(query.points(GtBodies.LARGEST, PointFilter.ALL.withScale(scale - 1)).size()).isGreaterThan(50_000);
        // Under the cap: as stored, scale 0.
        HttpResponse<byte[]> small = http.get("/api/gt_bodies/points/" + SMALL + "?max=8");
        assertThat(small.headers().firstValue(PointServer.SCALE_HEADER)).hasValue("0");
        assertThat(npyPoints(small, 4).size()).isEqualTo(8);
        // Its supervoxel ids keep more than one point apart at every scale.
        HttpResponse<byte[]> refused = http.get("/api/gt_bodies/points/" + GtBodies.LARGEST + "?max=1");
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(Http.text(refused)).startsWith("Cannot send at most max=1 points of label 114488");
        assertThat(http.get("/api/gt_bodies/points/1393?max=0").statusCode()).isEqualTo(400);
    }

    @Test
    void theLargestLabelStreamsEveryPoint() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/api/gt_bodies/points/"
                + GtBodies.LARGEST + "?format=raw")).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        long sent;
        long count = 0;
        try (InputStream body = response.body()) {
            sent = digest(body);
        }
        long want = 0;
        try (BlockChunks chunks = query.streamBlocks(GtBodies.LARGEST, 1 << 16)) {
            while (chunks.hasNext()) {
                PointCloud chunk = chunks.next().points();
                count += chunk.size();
                for (int i = 0; i < chunk.size(); i++) {
                    want += mix(chunk.point(i));
                }
            }
        }
        assertThat(count).isEqualTo(3_702_057L);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(count * 32);
        assertThat(sent).isEqualTo(want);
    }

    /** An order-independent digest of raw points of D = 4. */
    private static long digest(InputStream body) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        long sum = 0;
        byte[] chunk = new byte[8192];
        int read;
        while ((read = body.read(chunk)) > 0) {
            buffer.put(chunk, 0, read);
            buffer.flip();
            while (buffer.remaining() >= 32) {
                sum += mix(new long[] {buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()});
            }
            buffer.compact();
        }
        return sum;
    }

    private static long mix(long[] point) {
        long h = 0x9E3779B97F4A7C15L;
        for (long v : point) {
            h = (h ^ v) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    @Test
    void headAnswers200IfAPointPassesAnd204IfNone() {
        assertThat(http.send("HEAD", "/api/gt_bodies/points/" + SMALL, HttpRequest.BodyPublishers.noBody())
                .statusCode()).isEqualTo(200);
        assertThat(http.send("HEAD", "/api/gt_bodies/points/" + SMALL + "?minx=181&maxx=181&minz=2&maxz=2",
                HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(200);
        assertThat(http.send("HEAD", "/api/gt_bodies/points/" + SMALL + "?minx=0&maxx=10",
                HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(204);
        assertThat(http.send("HEAD", "/api/gt_bodies/points/" + SMALL + "?blocks=9_9_9",
                HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(204);
        assertThat(http.send("HEAD", "/api/gt_bodies/points/123456789", HttpRequest.BodyPublishers.noBody())
                .statusCode()).isEqualTo(204);
        assertThat(http.get("/api/gt_bodies/points/123456789").statusCode()).isEqualTo(404);
    }

    @Test
    void sizeSparsevolSizeBlocksAndSizesFollowTheIndexAndTheStats() throws IOException {
        Map<Long, long[]> bounds = statsBounds();
        for (long label : new long[] {SMALL, 2150L, GtBodies.LARGEST}) {
            var row = GtBodies.STATS.byLabel().get(label);
            assertThat(json(http.get("/api/gt_bodies/size/" + label)).get("voxels").asLong()).isEqualTo(row.voxelCount());
            JsonNode size = json(http.get("/api/gt_bodies/sparsevol-size/" + label));
            long[] b = bounds.get(label);
            assertThat(size.get("voxels").asLong()).isEqualTo(row.voxelCount());
            assertThat(size.get("numblocks").asLong()).isEqualTo(row.blocks64());
            assertThat(size.get("minvoxel").toString()).isEqualTo("[" + b[4] + "," + b[2] + "," + b[0] + "]");
            assertThat(size.get("maxvoxel").toString()).isEqualTo("[" + b[5] + "," + b[3] + "," + b[1] + "]");
            assertThat(json(http.get("/api/gt_bodies/blocks/" + label)).size()).isEqualTo((int) row.blocks64());
            assertThat(JSON.convertValue(json(http.get("/api/gt_bodies/blocks/" + label)), List.class))
                    .isEqualTo(query.blocks(label));
        }
        for (String path : List.of("size", "sparsevol-size", "blocks")) {
            HttpResponse<byte[]> unknown = http.get("/api/gt_bodies/" + path + "/123456789");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(Http.text(unknown)).startsWith("Cannot find label 123456789 in store 'gt_bodies'");
        }
        String labels = "[1393, \"114488\", 18446744073709551615, 0]";
        for (String method : List.of("POST", "GET")) {
            HttpResponse<byte[]> sizes = http.send(method, "/api/gt_bodies/sizes",
                    HttpRequest.BodyPublishers.ofString(labels));
            assertThat(Http.text(sizes)).isEqualTo("[8,3702057,0,0]");
        }
        assertThat(http.send("POST", "/api/gt_bodies/sizes", HttpRequest.BodyPublishers.ofString("{\"a\": 1}"))
                .statusCode()).isEqualTo(400);
        assertThat(http.send("POST", "/api/gt_bodies/sizes", HttpRequest.BodyPublishers.ofString("[1, "))
                .statusCode()).isEqualTo(400);
        HttpResponse<byte[]> tooBig = http.send("POST", "/api/gt_bodies/sizes",
                HttpRequest.BodyPublishers.ofString("[18446744073709551616]"));
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(Http.text(tooBig)).contains("0 to 18446744073709551615");
    }

    @Test
    void listlabelsStreamsEveryLabelInUnsignedOrder() {
        long[] all = query.labels();
        assertThat(longs(http.get("/api/gt_bodies/listlabels").body())).containsExactly(all);
        long[] pairs = longs(http.get("/api/gt_bodies/listlabels?sizes=true&start=1393&number=3").body());
        List<Long> want = new ArrayList<>();
        int from = Arrays.binarySearch(all, 1393L);
        for (int i = from; i < from + 3; i++) {
            want.add(all[i]);
            want.add(query.pointCount(all[i]));
        }
        assertThat(pairs).containsExactly(want.stream().mapToLong(Long::longValue).toArray());
        assertThat(longs(http.get("/api/extremes/listlabels").body())).containsExactly(7L, TWO_POW_63, MAX_LABEL);
        assertThat(longs(http.get("/api/extremes/listlabels?start=9223372036854775808").body()))
                .containsExactly(TWO_POW_63, MAX_LABEL);
        assertThat(http.get("/api/extremes/listlabels?number=-1").statusCode()).isEqualTo(400);
    }

    private static long[] longs(byte[] body) {
        long[] values = new long[body.length / 8];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
        return values;
    }

    @Test
    void labelsAbove2To63AndNegativeCoordinatesAreServedUnsignedAndExact() {
        HttpResponse<byte[]> top = http.get("/api/extremes/points/18446744073709551615?format=npy");
        Http.Npy npy = Http.Npy.read(top.body());
        assertThat(npy.header()).startsWith("{'descr': [('x', '<i8'), ('y', '<i8'), ('z', '<i8')]");
        assertThat(PointCloud.wrap(npy.values(), 3).sorted()).isEqualTo(PointCloud.ofRows(3, new long[] {-6, -2, 4},
                new long[] {-5, -1, 3}));
        assertThat(Http.text(http.get("/api/extremes/points/9223372036854775808?format=csv")))
                .isEqualTo("x,y,z\n-9223372036854775808,0,9223372036854775807\n");
        assertThat(Http.text(http.get("/api/extremes/points/18446744073709551615?format=csv&scale=1")))
                .isEqualTo("x,y,z\n-3,-1,1\n-3,-1,2\n");
        assertThat(json(http.get("/api/extremes/size/18446744073709551615")).get("voxels").asLong()).isEqualTo(2);
        assertThat(Http.text(http.send("POST", "/api/extremes/sizes",
                HttpRequest.BodyPublishers.ofString("[\"18446744073709551615\", 9223372036854775808]"))))
                .isEqualTo("[2,1]");
    }

    @Test
    void badRequestsAreRefusedWithTheRuleAndCorsOnEveryResponse() {
        HttpResponse<byte[]> badLabel = http.get("/api/gt_bodies/points/12x");
        assertThat(badLabel.statusCode()).isEqualTo(400);
        assertThat(Http.text(badLabel)).isEqualTo("Cannot parse label '12x': a label is a decimal unsigned 64-bit "
                + "integer from 0 to 18446744073709551615\n");
        assertThat(http.get("/api/gt_bodies/size/18446744073709551616").statusCode()).isEqualTo(400);
        assertThat(Http.text(http.get("/api/gt_bodies/points/1393?minx=abc"))).startsWith("Cannot use minx='abc': minx "
                + "is a voxel coordinate");
        assertThat(Http.text(http.get("/api/gt_bodies/points/1393?minx=5&maxx=4"))).contains("minx = 5 is above maxx = 4");
        assertThat(Http.text(http.get("/api/gt_bodies/points/1393?scale=64"))).contains("scale 64");
        HttpResponse<byte[]> noStore = http.get("/api/nowhere/info");
        assertThat(noStore.statusCode()).isEqualTo(404);
        assertThat(Http.text(noStore)).isEqualTo("Cannot find store 'nowhere': this server serves broken, extremes, "
                + "gt_bodies\n");
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            HttpResponse<byte[]> refused = http.send(method, "/api/gt_bodies/points/1393",
                    HttpRequest.BodyPublishers.ofString("x"));
            assertThat(refused.statusCode()).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        }
        assertThat(http.send("DELETE", "/api/gt_bodies/sizes", HttpRequest.BodyPublishers.noBody())
                .headers().firstValue("Allow")).hasValue("GET, POST, OPTIONS");
        HttpResponse<byte[]> preflight = http.send("OPTIONS", "/api/gt_bodies/info", HttpRequest.BodyPublishers.noBody());
        assertThat(preflight.statusCode()).isEqualTo(204);
        for (HttpResponse<byte[]> response : List.of(badLabel, noStore, preflight, http.get("/api/gt_bodies/info"),
                http.send("PUT", "/api/gt_bodies/info", HttpRequest.BodyPublishers.noBody()),
                http.get("/neuroglancer/gt_bodies/annotations/rel_label/123456789"), http.get("/no/such/path"))) {
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(response.uri().toString())
                    .hasValue("*");
        }
        // DVID clients' spelling: /api/node/<uuid>/<instance>/...
        assertThat(json(http.get("/api/node/abc123/gt_bodies/size/1393")).get("voxels").asLong()).isEqualTo(8);
    }

    @Test
    void aFailingStoreIs503WithoutAStackTrace() {
        HttpResponse<byte[]> failed = http.get("/api/broken/points/5?format=csv");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(Http.text(failed)).startsWith("Cannot read store 'broken': ").doesNotContain("\tat ")
                .doesNotContain("Exception");
        // The other stores still answer.
        assertThat(http.get("/api/gt_bodies/size/1393").statusCode()).isEqualTo(200);
    }

    // ---- neuroglancer ----

    @Test
    void annotationInfoDeclaresPointsOneRelationshipByIdAndOneSpatialLevel() {
        JsonNode info = json(http.get("/neuroglancer/gt_bodies/annotations/info"));
        assertThat(info.get("@type").asText()).isEqualTo("neuroglancer_annotations_v1");
        assertThat(info.get("annotation_type").asText()).isEqualTo("POINT");
        assertThat(info.get("relationships").toString()).isEqualTo("[{\"id\":\"label\",\"key\":\"rel_label\"}]");
        assertThat(info.get("by_id").toString()).isEqualTo("{\"key\":\"by_id\"}");
        assertThat(info.get("lower_bound").toString()).isEqualTo("[0,0,0]");
        assertThat(info.get("upper_bound").toString()).isEqualTo("[250,250,250]");
        assertThat(info.get("dimensions").get("x").toString()).isEqualTo("[8.0E-9,\"m\"]");
        assertThat(info.get("spatial").toString()).isEqualTo("[{\"key\":\"spatial0\",\"grid_shape\":[1,1,1],"
                + "\"chunk_size\":[250,250,250],\"limit\":20000}]");
    }

    @Test
    void relatedLabelListsTheLabelsDistinctPositionsAndByIdResolvesEachId() {
        HttpResponse<byte[]> small = http.get("/neuroglancer/gt_bodies/annotations/rel_label/9508");
        PointCloud xyz = LabelPoints.xyz(query.points(9508L));
        ByteBuffer body = ByteBuffer.wrap(small.body()).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) body.getLong();
        assertThat(n).isEqualTo(xyz.size());
        assertThat(small.body().length).isEqualTo(8 + 20 * n);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            assertThat(new float[] {body.getFloat(), body.getFloat(), body.getFloat()})
                    .containsExactly(xyz.get(i, 0), xyz.get(i, 1), xyz.get(i, 2));
        }
        for (int i = 0; i < n; i++) {
            ids[i] = body.getLong();
        }
        assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(n);
        for (int i : new int[] {0, n / 2, n - 1}) {
            ByteBuffer one = ByteBuffer.wrap(http.get("/neuroglancer/gt_bodies/annotations/by_id/"
                    + Labels.format(ids[i])).body()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(one.remaining()).isEqualTo(24);
            assertThat(new float[] {one.getFloat(), one.getFloat(), one.getFloat()})
                    .containsExactly(xyz.get(i, 0), xyz.get(i, 1), xyz.get(i, 2));
            assertThat(one.getInt()).isEqualTo(1);
            assertThat(one.getLong()).isEqualTo(9508L);
        }
        assertThat(http.get("/neuroglancer/gt_bodies/annotations/by_id/12345").statusCode()).isEqualTo(404);
        assertThat(http.get("/neuroglancer/gt_bodies/annotations/rel_label/123456789").statusCode()).isEqualTo(404);

        // Above the limit (20,000 here): the smallest scale that fits, points at the centres of their cubes.
        HttpResponse<byte[]> large = http.get("/neuroglancer/gt_bodies/annotations/rel_label/" + GtBodies.LARGEST);
        int scale = Integer.parseInt(large.headers().firstValue(PointServer.SCALE_HEADER).orElseThrow());
        PointCloud coarse = LabelPoints.xyz(query.points(GtBodies.LARGEST, PointFilter.ALL.withScale(scale)));
        assertThat(coarse.size()).isLessThanOrEqualTo(20_000);
        assertThat(LabelPoints.xyz(query.points(GtBodies.LARGEST, PointFilter.ALL.withScale(scale - 1))).size())
                .isGreaterThan(20_000);
        ByteBuffer big = ByteBuffer.wrap(large.body()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(big.getLong()).isEqualTo(coarse.size());
        float half = ((1 << scale) - 1) / 2f;
        assertThat(big.getFloat()).isEqualTo(coarse.get(0, 0) * (1 << scale) + half);
    }

    @Test
    void segmentPropertiesListTheLargestLabelsAndTheOverviewFitsTheLimit() {
        JsonNode properties = json(http.get("/neuroglancer/gt_bodies/segment_properties/info"));
        assertThat(properties.get("@type").asText()).isEqualTo("neuroglancer_segment_properties");
        JsonNode ids = properties.get("inline").get("ids");
        assertThat(ids.size()).isEqualTo(100);
        List<LabelSummary> sorted = new ArrayList<>();
        try (var summaries = query.labelSummaries()) {
            summaries.forEachRemaining(sorted::add);
        }
        sorted.sort((a, b) -> Long.compare(b.pointCount(), a.pointCount()));
        assertThat(ids.get(0).asText()).isEqualTo("114488");
        assertThat(ids.get(99).asText()).isEqualTo(Labels.format(sorted.get(99).label()));
        JsonNode points = properties.get("inline").get("properties").get(1);
        assertThat(points.get("id").asText()).isEqualTo("points");
        assertThat(points.get("values").get(0).asLong()).isEqualTo(3_702_057L);

        HttpResponse<byte[]> overview = http.get("/neuroglancer/gt_bodies/annotations/spatial0/0_0_0");
        long n = ByteBuffer.wrap(overview.body()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n).isBetween(1L, 20_000L);
        assertThat(overview.body().length).isEqualTo(8 + 20 * n);
        assertThat(http.get("/neuroglancer/gt_bodies/annotations/spatial0/1_0_0").statusCode()).isEqualTo(404);
        assertThat(requests).anyMatch(r -> r.path().equals("/neuroglancer/gt_bodies/annotations/spatial0/0_0_0")
                && r.status() == 200 && r.method().equals("GET"));
    }

    @Test
    void theViewNeedsANeuroglancerBuild() {
        HttpResponse<byte[]> view = http.get("/neuroglancer/gt_bodies/view/1393");
        assertThat(view.statusCode()).isEqualTo(404);
        assertThat(Http.text(view)).contains("--neuroglancer DIR");
        assertThat(server.neuroglancerView("gt_bodies", 1393L)).isEqualTo(URI.create(server.uri()
                + "/neuroglancer/gt_bodies/view/1393"));
        assertThat(server.largestLabel("gt_bodies")).hasValue(GtBodies.LARGEST);
    }
}
