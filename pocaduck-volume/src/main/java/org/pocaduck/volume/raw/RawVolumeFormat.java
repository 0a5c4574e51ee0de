package org.pocaduck.volume.raw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeFormat;
import org.pocaduck.volume.VolumeShape;
import org.pocaduck.volume.VolumeSource;

/**
 * Format {@code raw}: a flat array of little-endian uint64 labels in C order (x fastest,
 * {@code index = (z*Y + y)*X + x}), either gzip-compressed ({@code *.u64.raw.gz},
 * {@code *.dat.gz}) or plain ({@code *.raw}), described by a JSON sidecar beside it (the data
 * file's name with {@code .json} in place of {@code .u64.raw.gz}, {@code .dat.gz},
 * {@code .u64.raw} or {@code .raw}). This is the format of the project's shared data; its
 * description is {@code shared/data/README.md}.
 *
 * <p>Sidecar keys read: {@code shape_zyx} (three positive integers, required), {@code dtype}
 * (must be {@code uint64} when present), {@code byte_order} (must be {@code little} when
 * present), {@code compression} ({@code gzip} or {@code none} when present; it must agree with
 * the file's name). Other keys (source, license, voxel size) are ignored. No format options.
 *
 * <p>Thread-safe; each {@link #open} gives an independent reader.
 */
@AutoService(VolumeFormat.class)
public final class RawVolumeFormat implements VolumeFormat {
    /** The format's name. */
    public static final String NAME = "raw";

    private static final String[] SUFFIXES = {".u64.raw.gz", ".dat.gz", ".u64.raw", ".raw"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognizes(Path path) {
        Path name = path.getFileName();
        return name != null && suffixOf(name.toString()) != null && Files.isRegularFile(path);
    }

    @Override
    public VolumeSource open(Path path, Map<String, String> options) {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(options, "options is null");
        if (!options.isEmpty()) {
            throw new VolumeException("Cannot open raw volume " + path + ": unknown options " + options.keySet()
                    + " (the raw format takes none)");
        }
        if (!Files.isRegularFile(path)) {
            throw new VolumeException("Cannot open raw volume " + path + ": not a regular file");
        }
        String fileName = path.getFileName().toString();
        String suffix = suffixOf(fileName);
        if (suffix == null) {
            throw new VolumeException("Cannot open raw volume " + path
                    + ": the name must end with .u64.raw.gz, .dat.gz, .u64.raw or .raw");
        }
        boolean gzip = suffix.endsWith(".gz");
        Path sidecar = path.resolveSibling(fileName.substring(0, fileName.length() - suffix.length()) + ".json");
        if (!Files.isRegularFile(sidecar)) {
            throw new VolumeException("Cannot open raw volume " + path + ": missing JSON sidecar " + sidecar
                    + " (it gives shape_zyx and dtype)");
        }
        JsonNode json;
        try {
            json = JSON.readTree(sidecar.toFile());
        } catch (IOException e) {
            throw new VolumeException("Cannot open raw volume " + path + ": cannot parse sidecar " + sidecar + ": "
                    + e.getMessage(), e);
        }
        VolumeShape shape = shape(path, sidecar, json);
        String dtype = text(json, "dtype", "uint64");
        if (!dtype.equals("uint64")) {
            throw new VolumeException("Cannot open raw volume " + path + ": unsupported dtype '" + dtype
                    + "' in sidecar " + sidecar + " (the raw format reads uint64 only)");
        }
        String byteOrder = text(json, "byte_order", "little");
        if (!byteOrder.equals("little")) {
            throw new VolumeException("Cannot open raw volume " + path + ": unsupported byte_order '" + byteOrder
                    + "' in sidecar " + sidecar + " (the raw format reads little-endian only)");
        }
        String compression = text(json, "compression", gzip ? "gzip" : "none");
        if (!compression.equals(gzip ? "gzip" : "none")) {
            throw new VolumeException("Cannot open raw volume " + path + ": sidecar " + sidecar + " says compression '"
                    + compression + "' but the file name says " + (gzip ? "gzip" : "none"));
        }
        if (!gzip) {
            long expected = Math.multiplyExact(shape.voxels(), Long.BYTES);
            long size;
            try {
                size = Files.size(path);
            } catch (IOException e) {
                throw new VolumeException("Cannot open raw volume " + path + ": " + e.getMessage(), e);
            }
            if (size != expected) {
                throw new VolumeException("Cannot open raw volume " + path + ": size mismatch: the file has " + size
                        + " bytes but shape " + shape + " from " + sidecar + " needs " + expected);
            }
        }
        return new RawVolumeSource(path, shape, gzip);
    }

    private static VolumeShape shape(Path path, Path sidecar, JsonNode json) {
        JsonNode node = json.get("shape_zyx");
        if (node == null || !node.isArray() || node.size() != 3) {
            throw new VolumeException("Cannot open raw volume " + path + ": sidecar " + sidecar
                    + " has no shape_zyx of three integers");
        }
        long[] sizes = new long[3];
        for (int i = 0; i < 3; i++) {
            JsonNode size = node.get(i);
            if (!size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 1) {
                throw new VolumeException("Cannot open raw volume " + path + ": sidecar " + sidecar
                        + " has shape_zyx " + node + "; each size must be a positive integer");
            }
            sizes[i] = size.asLong();
        }
        return new VolumeShape(sizes[0], sizes[1], sizes[2]);
    }

    private static String text(JsonNode json, String key, String absent) {
        JsonNode node = json.get(key);
        return node == null || node.isNull() ? absent : node.asText().strip().toLowerCase(Locale.ROOT);
    }

    private static String suffixOf(String fileName) {
        for (String suffix : SUFFIXES) {
            if (fileName.endsWith(suffix) && fileName.length() > suffix.length()) {
                return suffix;
            }
        }
        return null;
    }
}
