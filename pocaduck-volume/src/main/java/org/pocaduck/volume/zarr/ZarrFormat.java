package org.pocaduck.volume.zarr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.service.AutoService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pocaduck.volume.VolumeException;
import org.pocaduck.volume.VolumeFormat;
import org.pocaduck.volume.VolumeSource;
import org.pocaduck.volume.internal.Checks;

/**
 * Zarr arrays on the local file system ({@code zarr}): Zarr v2 ({@code .zarray}) and v3
 * ({@code zarr.json}) arrays, and OME-Zarr multiscale groups (NGFF 0.4 on v2: {@code .zgroup} +
 * {@code .zattrs} "multiscales"; NGFF 0.5 on v3: {@code zarr.json} attributes "ome" ->
 * "multiscales"). Axes are z, y, x (the last three dimensions; any before them must have size 1).
 *
 * <p>Read: integer element types of 1 to 8 bytes, signed or unsigned, little or big endian; C
 * order; regular chunk grids with edge chunks padded; chunk keys with "." or "/" (v2
 * {@code dimension_separator}, v3 "default" and "v2" chunk key encodings); v3 sharding
 * ({@code sharding_indexed}, index at the end or start, with or without crc32c); codecs Blosc (lz4,
 * lz4hc, zlib, zstd, blosclz; no shuffle, byte shuffle, bit shuffle), zstd, gzip, zlib, v3 {@code bytes}
 * (endianness) and {@code crc32c}; missing chunks read as {@code fill_value}. Not read (clear
 * error): filters, F order, transpose, nested sharding, Blosc with snappy.
 *
 * <p>Options: {@code scale} - the multiscale level of an OME-Zarr group, an index into its
 * first multiscale's {@code datasets} (default 0, the full resolution).
 *
 * <p>Recognises directories holding {@code .zarray}, {@code .zgroup} or {@code zarr.json}, or named
 * {@code *.zarr}. Thread-safe.
 */
@AutoService(VolumeFormat.class)
public final class ZarrFormat implements VolumeFormat {
    /** The format's name. */
    public static final String NAME = "zarr";
    /** The option choosing an OME-Zarr scale. */
    public static final String SCALE = "scale";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean recognizes(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        return Files.isRegularFile(path.resolve(".zarray")) || Files.isRegularFile(path.resolve(".zgroup"))
                || Files.isRegularFile(path.resolve("zarr.json"))
                || path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zarr");
    }

    /**
     * Opens an array, or the chosen scale of an OME-Zarr group.
     *
     * @throws VolumeException if metadata is missing or unreadable, the scale does not exist, or
     *     the array uses an unsupported dtype, codec or layout (naming the metadata file)
     */
    @Override
    public VolumeSource open(Path path, Map<String, String> options) {
        Objects.requireNonNull(path, "path is null");
        Checks.requireKnownOptions(options, Set.of(SCALE), NAME, path);
        String scaleOption = options.get(SCALE);
        int scale;
        try {
            scale = scaleOption == null ? 0 : Integer.parseInt(scaleOption.strip());
        } catch (NumberFormatException e) {
            throw new VolumeException("Cannot open volume " + path + ": option scale=" + scaleOption
                    + " is not a whole number");
        }
        if (scale < 0) {
            throw new VolumeException("Cannot open volume " + path + ": option scale=" + scale + " is negative");
        }
        Path v3 = path.resolve("zarr.json");
        if (Files.isRegularFile(v3)) {
            JsonNode json = readJson(v3);
            String nodeType = json.path("node_type").asText("");
            if (nodeType.equals("array")) {
                requireNoScale(path, scaleOption);
                return new ZarrVolume(path, ZarrArray.v3(path, v3, json));
            }
            if (nodeType.equals("group")) {
                JsonNode attributes = json.path("attributes");
                JsonNode multiscales = attributes.path("ome").path("multiscales");
                if (multiscales.isMissingNode()) {
                    multiscales = attributes.path("multiscales");
                }
                return new ZarrVolume(path, openArray(chooseScale(path, v3, multiscales, scale)));
            }
            throw ZarrArray.bad(v3, "node_type is '" + nodeType + "', expected array or group");
        }
        Path zarray = path.resolve(".zarray");
        if (Files.isRegularFile(zarray)) {
            requireNoScale(path, scaleOption);
            return new ZarrVolume(path, ZarrArray.v2(path, zarray, readJson(zarray)));
        }
        if (Files.isRegularFile(path.resolve(".zgroup"))) {
            Path zattrs = path.resolve(".zattrs");
            if (!Files.isRegularFile(zattrs)) {
                throw new VolumeException("Cannot open volume " + path + ": a Zarr v2 group without .zattrs (missing"
                        + " OME-Zarr multiscales metadata); open one of its arrays instead");
            }
            return new ZarrVolume(path, openArray(chooseScale(path, zattrs, readJson(zattrs).path("multiscales"), scale)));
        }
        throw new VolumeException("Cannot open volume " + path + " as Zarr: missing metadata (no .zarray, .zgroup or"
                + " zarr.json)");
    }

    private static void requireNoScale(Path path, String scaleOption) {
        if (scaleOption != null && !scaleOption.strip().equals("0")) {
            throw new VolumeException("Cannot open volume " + path + ": option scale=" + scaleOption
                    + " applies to OME-Zarr multiscale groups, and this is a single array");
        }
    }

    private static Path chooseScale(Path group, Path metadata, JsonNode multiscales, int scale) {
        if (!multiscales.isArray() || multiscales.isEmpty()) {
            throw new VolumeException("Cannot open volume " + group + ": " + metadata + " has no OME-Zarr"
                    + " \"multiscales\"; it is a plain Zarr group, open one of its arrays instead");
        }
        JsonNode first = multiscales.get(0);
        JsonNode axes = first.path("axes");
        if (axes.isArray() && axes.size() >= 3) {
            String[] names = new String[3];
            for (int i = 0; i < 3; i++) {
                JsonNode axis = axes.get(axes.size() - 3 + i);
                names[i] = axis.isTextual() ? axis.asText() : axis.path("name").asText("");
            }
            if (!names[0].equals("z") || !names[1].equals("y") || !names[2].equals("x")) {
                throw new VolumeException("Cannot open volume " + group + ": " + metadata + " axes end in "
                        + String.join(", ", names) + "; a label volume's last three axes must be z, y, x");
            }
        }
        JsonNode datasets = first.path("datasets");
        if (!datasets.isArray() || datasets.isEmpty()) {
            throw new VolumeException("Cannot open volume " + group + ": " + metadata + " multiscales has no datasets");
        }
        if (scale >= datasets.size()) {
            throw new VolumeException("Cannot open volume " + group + ": option scale=" + scale + " does not exist; "
                    + metadata + " lists scales 0 to " + (datasets.size() - 1));
        }
        String relative = datasets.get(scale).path("path").asText("");
        if (relative.isEmpty()) {
            throw new VolumeException("Cannot open volume " + group + ": " + metadata + " dataset " + scale
                    + " has no path");
        }
        Path array = group.resolve(relative).normalize();
        if (!array.startsWith(group.normalize())) {
            throw new VolumeException("Cannot open volume " + group + ": " + metadata + " dataset path '" + relative
                    + "' leaves the group");
        }
        return array;
    }

    private static ZarrArray openArray(Path array) {
        Path v3 = array.resolve("zarr.json");
        if (Files.isRegularFile(v3)) {
            JsonNode json = readJson(v3);
            if (!json.path("node_type").asText("").equals("array")) {
                throw ZarrArray.bad(v3, "node_type is " + json.path("node_type") + ", expected array");
            }
            return ZarrArray.v3(array, v3, json);
        }
        Path zarray = array.resolve(".zarray");
        if (Files.isRegularFile(zarray)) {
            return ZarrArray.v2(array, zarray, readJson(zarray));
        }
        throw new VolumeException("Cannot open Zarr array " + array + ": missing metadata (no .zarray or zarr.json)");
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new VolumeException("Cannot open Zarr metadata " + file + ": not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new VolumeException("Cannot open Zarr metadata " + file + ": invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new VolumeException("Cannot open Zarr metadata " + file + ": " + e, e);
        }
    }
}
