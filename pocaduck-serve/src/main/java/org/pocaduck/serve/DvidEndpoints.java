package org.pocaduck.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.pocaduck.Box;
import org.pocaduck.LabelSummaries;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PointFilter;
import org.pocaduck.Query;
import org.pocaduck.StoreStats;

/**
 * The DVID-style endpoints of one store (names, parameters and answers follow DVID's labelmap
 * API where it has the same call); see {@code docs/serve.md} for the table.
 */
final class DvidEndpoints {
    /** The most labels one {@code sizes} request may ask for. */
    static final int MAX_SIZES_LABELS = 1_000_000;

    private DvidEndpoints() {
    }

    /** {@code info}: schema, totals and bounds. */
    static void info(ServedStore store, ServerRequest request, ServerResponse response) {
        Query query = store.query();
        StoreStats stats = query.stats();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("store", store.name());
        info.put("storage_type", store.store().storageType());
        info.put("location", store.store().config().location());
        info.put("dimensions", store.names());
        info.put("labels", stats.labels());
        info.put("points", stats.points());
        info.put("label_block_pairs", stats.labelBlockPairs());
        info.put("files", stats.files());
        info.put("bytes", stats.bytes());
        info.put("bounds", store.bounds().map(DvidEndpoints::boundsJson).orElse(null));
        Responses.json(response, info);
    }

    static Map<String, Object> boundsJson(Box box) {
        Map<String, Object> bounds = new LinkedHashMap<>();
        bounds.put("minvoxel", List.of(box.minX(), box.minY(), box.minZ()));
        bounds.put("maxvoxel", List.of(box.maxX(), box.maxY(), box.maxZ()));
        return bounds;
    }

    /**
     * {@code points/{label}}: the label's points in a format; HEAD answers 200 if a point passes
     * the blocks and box, 204 if none (as DVID's HEAD sparsevol).
     */
    static void points(ServedStore store, ServerRequest request, ServerResponse response) throws IOException {
        long label = Requests.label(request, "label");
        PointFilter filter = Requests.filter(request);
        OptionalLong max = Requests.max(request);
        PointFormat format;
        try {
            format = PointFormat.parse(request.query().first("format").orElse("npy"));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        Query query = store.query();
        long stored = query.pointCount(label);
        if (request.prologue().method() == Method.HEAD) {
            boolean any = stored > 0 && LabelPoints.any(query, label, filter);
            response.status(any ? Status.OK_200 : Status.NO_CONTENT_204).send();
            return;
        }
        requireKnown(store, label, stored);
        List<String> names = store.names();
        if (filter.needsCoordinates() && names.size() < 3) {
            throw HttpError.badRequest("Cannot filter points of label " + Labels.format(label) + " by " + filter
                    + ": store '" + store.name() + "' has D = " + names.size() + " values, and a box or a scale "
                    + "applies to x, y, z");
        }
        PointFormat.Encoder encoder;
        try {
            encoder = format.encoder(names, label);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        LabelPoints.Read read = LabelPoints.read(query, label, stored, filter, max, format.needsCount());
        response.header(PointServer.SCALE_HEADER, Integer.toString(read.scale()));
        response.header(PointServer.DIMENSIONS_HEADER, String.join(",", names));
        if (read.count() >= 0) {
            response.header(PointServer.POINTS_HEADER, Long.toString(read.count()));
        }
        String what = format.text() + " points of label " + Labels.format(label) + " of store '" + store.name() + "'";
        long length = read.count() >= 0 ? encoder.bodyLength(read.count()) : -1;
        Responses.stream(response, format.contentType(), length, what, out -> {
            out.write(encoder.header(read.count()));
            long[] sent = {0};
            read.forEachChunk(chunk -> {
                encoder.write(chunk, out);
                sent[0] += chunk.size();
            });
            if (read.count() >= 0 && sent[0] != read.count()) {
                throw new IllegalStateException("read " + sent[0] + " points where " + read.count()
                        + " were counted first (did the store change?)");
            }
        });
    }

    /** {@code size/{label}}: {@code {"voxels": N}}, 404 for a label without points. */
    static void size(ServedStore store, ServerRequest request, ServerResponse response) {
        long label = Requests.label(request, "label");
        long stored = store.query().pointCount(label);
        requireKnown(store, label, stored);
        Responses.json(response, Map.of("voxels", stored));
    }

    /**
     * {@code sparsevol-size/{label}}: voxels, blocks and the exact min and max voxel (DVID's are
     * block-aligned), streaming the label once.
     */
    static void sparsevolSize(ServedStore store, ServerRequest request, ServerResponse response) {
        long label = Requests.label(request, "label");
        Query query = store.query();
        long stored = query.pointCount(label);
        requireKnown(store, label, stored);
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("voxels", stored);
        size.put("numblocks", query.blocks(label).size());
        Optional<Box> bounds = store.names().size() < 3 ? Optional.empty() : LabelPoints.bounds(query, label);
        bounds.ifPresent(box -> size.putAll(boundsJson(box)));
        Responses.json(response, size);
    }

    /** {@code blocks/{label}}: the block ids holding the label, sorted, as a JSON list. */
    static void blocks(ServedStore store, ServerRequest request, ServerResponse response) {
        long label = Requests.label(request, "label");
        List<String> blocks = store.query().blocks(label);
        if (blocks.isEmpty()) {
            requireKnown(store, label, 0);
        }
        Responses.json(response, blocks);
    }

    /**
     * {@code sizes} (POST, or GET with a body as DVID): a JSON list of labels (numbers or decimal
     * strings) in, their point counts out, 0 for a label without points.
     */
    static void sizes(ServedStore store, ServerRequest request, ServerResponse response) throws IOException {
        JsonNode list;
        try (InputStream body = request.content().inputStream()) {
            list = Responses.JSON.readTree(body);
        } catch (IOException e) {
            throw HttpError.badRequest("Cannot read the list of labels: the body is not JSON (" + e.getMessage() + ")");
        }
        if (list == null || !list.isArray()) {
            throw HttpError.badRequest("Cannot read the list of labels: the body must be a JSON list such as [1, 2, "
                    + "\"18446744073709551615\"]");
        }
        if (list.size() > MAX_SIZES_LABELS) {
            throw HttpError.badRequest("Cannot count " + list.size() + " labels in one request: at most "
                    + MAX_SIZES_LABELS);
        }
        List<Long> counts = new ArrayList<>(list.size());
        Query query = store.query();
        for (JsonNode item : list) {
            counts.add(query.pointCount(labelOf(item)));
        }
        Responses.json(response, counts);
    }

    private static final BigInteger MAX_LABEL = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static long labelOf(JsonNode item) {
        if (item.isTextual()) {
            return Requests.label(item.textValue());
        }
        if (item.isIntegralNumber()) {
            BigInteger value = item.bigIntegerValue();
            if (value.signum() >= 0 && value.compareTo(MAX_LABEL) <= 0) {
                return value.longValue();
            }
        }
        throw HttpError.badRequest("Cannot parse label " + item + ": a label is a decimal unsigned 64-bit integer from "
                + "0 to 18446744073709551615 (a JSON number or string)");
    }

    /**
     * {@code listlabels}: every label as uint64 little-endian, in unsigned order, streamed from
     * the label index with bounded memory; {@code start} (the first label), {@code number} (the
     * most labels) and {@code sizes=true} (each label followed by its point count) as DVID. An
     * error after the first byte is marked, as DVID does, by four uint64 zeros.
     */
    static void listLabels(ServedStore store, ServerRequest request, ServerResponse response) throws IOException {
        long start = request.query().first("start").asOptional().map(Requests::label).orElse(0L);
        long number = Requests.longParameter(request, "number", "the most labels to list, at least 0")
                .orElse(Long.MAX_VALUE);
        if (number < 0) {
            throw HttpError.badRequest("Cannot use number=" + number + ": number is the most labels to list, at least 0");
        }
        boolean sizes = Requests.flag(request, "sizes");
        LabelSummaries summaries = store.query().labelSummaries();
        Responses.stream(response, "application/octet-stream", -1, "the labels of store '" + store.name() + "'", out -> {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            long listed = 0;
            try (summaries) {
                while (listed < number && summaries.hasNext()) {
                    LabelSummary summary = summaries.next();
                    if (Labels.compare(summary.label(), start) < 0) {
                        continue;
                    }
                    if (buffer.remaining() < 16) {
                        out.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                    }
                    buffer.putLong(summary.label());
                    if (sizes) {
                        buffer.putLong(summary.pointCount());
                    }
                    listed++;
                }
            } catch (RuntimeException e) {
                out.write(buffer.array(), 0, buffer.position());
                out.write(new byte[32]);
                throw e;
            }
            out.write(buffer.array(), 0, buffer.position());
        });
    }

    static void requireKnown(ServedStore store, long label, long stored) {
        if (stored == 0) {
            throw HttpError.notFound("Cannot find label " + Labels.format(label) + " in store '" + store.name()
                    + "': it has no points there");
        }
    }
}
