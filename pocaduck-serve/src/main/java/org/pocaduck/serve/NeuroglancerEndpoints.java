package org.pocaduck.serve;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pocaduck.Box;
import org.pocaduck.LabelSummary;
import org.pocaduck.Labels;
import org.pocaduck.PointCloud;

/**
 * Neuroglancer's precomputed sources over one store (formats: google/neuroglancer
 * {@code src/datasource/precomputed/annotations.md} and {@code segment_properties.md}):
 *
 * <ul>
 *   <li>{@code annotations/}: {@code info} ({@code neuroglancer_annotations_v1}, POINT, no
 *       properties, one relationship {@code label} under {@code rel_label}, {@code by_id}, one
 *       spatial level {@code spatial0} of one cell); {@code rel_label/<label>} in the multiple
 *       annotation encoding (uint64le count, count x float32le x, y, z, count x uint64le ids), a
 *       label of more points than the annotation limit downsampled to the smallest scale that fits
 *       (each point then at the centre of its 2^s voxel cube), a label without points 404 (the
 *       viewer shows it empty; neuroglancer 2.37.5 rejects an 8-byte empty list);
 *       {@code by_id/<id>} in the single encoding (float32le x, y, z, then uint32le 1 and the
 *       uint64le label); {@code spatial0/0_0_0}: an overview, the annotations of the largest
 *       labels thinned to the limit in all;
 *   <li>{@code segment_properties/info}: {@code neuroglancer_segment_properties} with inline ids
 *       (the largest labels, most points first, as decimal strings), a {@code label} text and the
 *       {@code points} and {@code blocks} counts (uint32, saturated);
 *   <li>{@code view/<label>}: a redirect to the neuroglancer build at {@code /ng/} with a state
 *       that shows the label's annotations linked to the segment properties.
 * </ul>
 */
final class NeuroglancerEndpoints {
    /** The labels whose annotations make up the spatial overview. */
    static final int OVERVIEW_LABELS = 16;

    private NeuroglancerEndpoints() {
    }

    static void annotationInfo(ServedStore store, ServerSettings settings, ServerRequest request,
            ServerResponse response) {
        Box bounds = store.bounds().orElse(new Box(0, 0, 0, 0, 0, 0));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@type", "neuroglancer_annotations_v1");
        info.put("dimensions", dimensions(settings));
        info.put("lower_bound", List.of(bounds.minX(), bounds.minY(), bounds.minZ()));
        info.put("upper_bound", List.of(bounds.maxX() + 1, bounds.maxY() + 1, bounds.maxZ() + 1));
        info.put("annotation_type", "POINT");
        info.put("properties", List.of());
        info.put("relationships", List.of(Responses.ordered("id", "label", "key", "rel_label")));
        info.put("by_id", Map.of("key", "by_id"));
        Map<String, Object> spatial = new LinkedHashMap<>();
        spatial.put("key", "spatial0");
        spatial.put("grid_shape", List.of(1, 1, 1));
        spatial.put("chunk_size", List.of(bounds.maxX() + 1 - bounds.minX(), bounds.maxY() + 1 - bounds.minY(),
                bounds.maxZ() + 1 - bounds.minZ()));
        spatial.put("limit", store.annotationLimit());
        info.put("spatial", List.of(spatial));
        Responses.json(response, info);
    }

    static Map<String, Object> dimensions(ServerSettings settings) {
        Map<String, Object> dimensions = new LinkedHashMap<>();
        dimensions.put("x", List.of(settings.voxelSize().x() * 1e-9, "m"));
        dimensions.put("y", List.of(settings.voxelSize().y() * 1e-9, "m"));
        dimensions.put("z", List.of(settings.voxelSize().z() * 1e-9, "m"));
        return dimensions;
    }

    static void relatedLabel(ServedStore store, ServerRequest request, ServerResponse response) {
        long label = Requests.label(request, "label");
        long stored = store.query().pointCount(label);
        if (stored == 0 || store.names().size() < 3) {
            throw HttpError.notFound("Cannot find annotations of label " + Labels.format(label) + " in store '"
                    + store.name() + "': it has no points there");
        }
        ServedStore.Annotations annotations = store.annotations(label, stored);
        int n = annotations.xyz().size();
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        response.header(PointServer.SCALE_HEADER, Integer.toString(annotations.scale()));
        Responses.bytes(response, "application/octet-stream", encodeMultiple(List.of(annotations), List.of(indices)));
    }

    /** The multiple annotation encoding of some annotations of some labels. */
    private static byte[] encodeMultiple(List<ServedStore.Annotations> labels, List<int[]> indices) {
        int count = 0;
        for (int[] some : indices) {
            count += some.length;
        }
        ByteBuffer body = ByteBuffer.allocate(8 + count * 20).order(ByteOrder.LITTLE_ENDIAN);
        body.putLong(count);
        for (int l = 0; l < labels.size(); l++) {
            for (int i : indices.get(l)) {
                putPosition(body, labels.get(l), i);
            }
        }
        for (int l = 0; l < labels.size(); l++) {
            for (int i : indices.get(l)) {
                body.putLong(labels.get(l).id(i));
            }
        }
        return body.array();
    }

    /** Point {@code i} at the centre of its voxel cube of side 2^scale, full-resolution voxels. */
    private static void putPosition(ByteBuffer body, ServedStore.Annotations annotations, int i) {
        PointCloud xyz = annotations.xyz();
        double side = Math.scalb(1.0, annotations.scale());
        for (int d = 0; d < 3; d++) {
            body.putFloat((float) (xyz.get(i, d) * side + (side - 1) / 2));
        }
    }

    static void byId(ServedStore store, ServerRequest request, ServerResponse response) {
        long id = Requests.label(request, "id");
        Optional<Long> label = store.labelOfId(id);
        int index = (int) (id & ((1L << ServedStore.INDEX_BITS) - 1));
        if (label.isPresent()) {
            long stored = store.query().pointCount(label.get());
            if (stored > 0) {
                ServedStore.Annotations annotations = store.annotations(label.get(), stored);
                if (index < annotations.xyz().size()) {
                    ByteBuffer body = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
                    putPosition(body, annotations, index);
                    body.putInt(1).putLong(label.get());
                    Responses.bytes(response, "application/octet-stream", body.array());
                    return;
                }
            }
        }
        throw HttpError.notFound("Cannot find annotation " + Labels.format(id) + " in store '" + store.name()
                + "': this server run did not give out that id");
    }

    static void spatial(ServedStore store, ServerRequest request, ServerResponse response) {
        String cell = request.path().pathParameters().get("cell");
        if (!cell.equals("0_0_0")) {
            throw HttpError.notFound("Cannot find spatial cell '" + cell + "' of store '" + store.name()
                    + "': the one level has one cell, 0_0_0");
        }
        Responses.bytes(response, "application/octet-stream", store.overview(() -> overview(store)));
    }

    /** The largest labels' annotations, every k-th so that each label has its share of the limit. */
    private static byte[] overview(ServedStore store) {
        List<LabelSummary> largest = store.largest();
        int labels = Math.min(OVERVIEW_LABELS, largest.size());
        List<ServedStore.Annotations> chosen = new ArrayList<>();
        List<int[]> indices = new ArrayList<>();
        if (store.names().size() >= 3) {
            int share = Math.max(1, store.annotationLimit() / Math.max(1, labels));
            for (LabelSummary summary : largest.subList(0, labels)) {
                ServedStore.Annotations annotations = store.annotations(summary.label(), summary.pointCount());
                int n = annotations.xyz().size();
                int step = (n + share - 1) / share;
                int[] some = new int[(n + step - 1) / step];
                for (int i = 0; i < some.length; i++) {
                    some[i] = i * step;
                }
                chosen.add(annotations);
                indices.add(some);
            }
        }
        return encodeMultiple(chosen, indices);
    }

    static void segmentProperties(ServedStore store, ServerRequest request, ServerResponse response) {
        List<LabelSummary> largest = store.largest();
        List<String> ids = new ArrayList<>(largest.size());
        List<String> texts = new ArrayList<>(largest.size());
        List<Long> points = new ArrayList<>(largest.size());
        List<Long> blocks = new ArrayList<>(largest.size());
        for (LabelSummary summary : largest) {
            ids.add(Labels.format(summary.label()));
            texts.add(summary.pointCount() + " points");
            points.add(Math.min(summary.pointCount(), 0xFFFF_FFFFL));
            blocks.add((long) summary.blockCount());
        }
        Map<String, Object> inline = new LinkedHashMap<>();
        inline.put("ids", ids);
        inline.put("properties", List.of(
                Responses.ordered("id", "label", "type", "label", "values", texts),
                Responses.ordered("id", "points", "type", "number", "data_type", "uint32", "values", points),
                Responses.ordered("id", "blocks", "type", "number", "data_type", "uint32", "values", blocks)));
        Responses.json(response, Responses.ordered("@type", "neuroglancer_segment_properties", "inline", inline));
    }

    /** Redirects to the neuroglancer build with a state showing one label. */
    static void view(ServedStore store, ServerSettings settings, String origin, ServerRequest request,
            ServerResponse response) {
        long label = Requests.label(request, "label");
        if (settings.neuroglancer().isEmpty()) {
            throw HttpError.notFound("Cannot show label " + Labels.format(label) + " in neuroglancer: this server "
                    + "serves no neuroglancer build (start it with --neuroglancer DIR)");
        }
        long stored = store.query().pointCount(label);
        Box box = stored == 0 || store.names().size() < 3 ? store.bounds().orElse(new Box(0, 0, 0, 0, 0, 0))
                : LabelPoints.bounds(store.query(), label).orElseThrow();
        response.status(Status.FOUND_302);
        response.header(HeaderNames.LOCATION, stateUrl(origin, store.name(), label, box, settings));
        response.send();
    }

    /**
     * A neuroglancer URL ({@code origin/ng/#!state}) showing one label's annotations, linked to
     * the store's segment properties and filtered by the label, centred on its bounds.
     *
     * @param origin the server's origin, such as {@code http://127.0.0.1:8000}
     */
    static String stateUrl(String origin, String store, long label, Box box, ServerSettings settings) {
        String base = origin + "/neuroglancer/" + store;
        long extent = Math.max(box.maxX() - box.minX(), Math.max(box.maxY() - box.minY(), box.maxZ() - box.minZ())) + 1;
        Map<String, Object> segmentation = new LinkedHashMap<>();
        segmentation.put("type", "segmentation");
        segmentation.put("name", "labels");
        segmentation.put("source", "precomputed://" + base + "/segment_properties");
        segmentation.put("segments", List.of(Labels.format(label)));
        Map<String, Object> points = new LinkedHashMap<>();
        points.put("type", "annotation");
        points.put("name", "points");
        points.put("source", "precomputed://" + base + "/annotations");
        points.put("annotationColor", "#ff00ff");
        points.put("linkedSegmentationLayer", Map.of("label", "labels"));
        points.put("filterBySegmentation", List.of("label"));
        points.put("shader", "void main() { setColor(vec4(1.0, 0.0, 1.0, 1.0)); setPointMarkerSize(2.0); "
                + "setPointMarkerBorderWidth(0.0); }");
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("dimensions", dimensions(settings));
        state.put("position", List.of((box.minX() + box.maxX() + 1) / 2.0, (box.minY() + box.maxY() + 1) / 2.0,
                (box.minZ() + box.maxZ() + 1) / 2.0));
        state.put("crossSectionScale", Math.max(1.0, extent / 512.0));
        state.put("projectionScale", Math.max(64, 2 * extent));
        // Seen obliquely (35 degrees about x, then 30 about y), so the 3-D view shows depth.
        state.put("projectionOrientation", List.of(-0.2905f, 0.2468f, 0.0778f, 0.9212f));
        state.put("layers", List.of(segmentation, points));
        state.put("selectedLayer", Responses.ordered("layer", "points", "visible", false));
        state.put("layout", "3d");
        try {
            String json = Responses.JSON.writeValueAsString(state);
            return origin + "/ng/#!" + URLEncoder.encode(json, StandardCharsets.UTF_8).replace("+", "%20");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a neuroglancer state: " + e.getMessage(), e);
        }
    }
}
