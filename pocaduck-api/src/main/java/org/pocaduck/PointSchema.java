package org.pocaduck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of a store's point dimensions, in order; their count is D.
 *
 * <p>By default a store's first write fixes D and the names are {@code x, y, z} followed by
 * {@code attr_3, attr_4, ...} for attributes ({@link #defaultFor(int)}). A store may instead
 * declare its schema up front with the {@code dimensions} option of {@link StorageConfig}, for
 * example {@code x,y,z,supervoxel_id}, as the original PoCADuck's examples store.
 *
 * <p>Names become column names in backends that store one column per dimension, so each must
 * match {@code [a-z][a-z0-9_]*}, be at most 64 characters, be unique, and not be one of the
 * reserved column names {@value #RESERVED_NAMES_TEXT}.
 *
 * @param names the dimension names in point order; copied
 */
public record PointSchema(List<String> names) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final String RESERVED_NAMES_TEXT = "label, block_id, worker_id, chunk";
    private static final Set<String> RESERVED = Set.of("label", "block_id", "worker_id", "chunk");

    /**
     * @throws IllegalArgumentException if there are no names, or a name breaks the rules above
     */
    public PointSchema {
        Objects.requireNonNull(names, "names is null");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Cannot create point schema: it needs at least one dimension");
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Cannot create point schema: dimension name '" + name
                        + "' must match [a-z][a-z0-9_]* and be at most 64 characters");
            }
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("Cannot create point schema: dimension name '" + name
                        + "' is reserved (reserved: " + RESERVED_NAMES_TEXT + ")");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(
                        "Cannot create point schema: dimension name '" + name + "' appears twice in " + names);
            }
        }
    }

    /**
     * The schema a first write of D dimensions fixes when none was declared: x, y, z (as many as
     * D allows), then {@code attr_3}, {@code attr_4}, ...
     *
     * @param dimensions D, at least 1
     * @return the default schema of D dimensions
     */
    public static PointSchema defaultFor(int dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException(
                    "Cannot create point schema: D = " + dimensions + " dimensions, must be at least 1");
        }
        List<String> names = new ArrayList<>(dimensions);
        String[] spatial = {"x", "y", "z"};
        for (int d = 0; d < dimensions; d++) {
            names.add(d < spatial.length ? spatial[d] : "attr_" + d);
        }
        return new PointSchema(names);
    }

    /**
     * Parses a comma-separated list of names, such as {@code x,y,z,supervoxel_id}.
     *
     * @throws IllegalArgumentException if a name breaks the rules above
     */
    public static PointSchema parse(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "commaSeparated is null");
        List<String> names = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            names.add(part.strip());
        }
        return new PointSchema(names);
    }

    /** @return D, the number of dimensions */
    public int dimensions() {
        return names.size();
    }

    /** @return the names joined by commas, the form {@link #parse(String)} reads */
    @Override
    public String toString() {
        return String.join(",", names);
    }
}
