package org.pocaduck.serve;

import io.helidon.webserver.http.ServerRequest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.pocaduck.Box;
import org.pocaduck.Labels;
import org.pocaduck.PointFilter;

/** Reads a request's path and query parameters; every bad value is a 400 naming the value and the rule. */
final class Requests {
    private static final String[] BOX_PARAMETERS = {"minx", "miny", "minz", "maxx", "maxy", "maxz"};

    private Requests() {
    }

    /** @return the path parameter {@code name} as a uint64 label ({@link Labels#parse}) */
    static long label(ServerRequest request, String name) {
        return label(request.path().pathParameters().get(name));
    }

    static long label(String text) {
        try {
            return Labels.parse(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /** @return the request's filter: {@code blocks=ID,ID}, a box from {@code minx..maxz}, {@code scale} */
    static PointFilter filter(ServerRequest request) {
        PointFilter filter = PointFilter.ALL;
        Optional<String> blocks = request.query().first("blocks").asOptional();
        if (blocks.isPresent()) {
            Set<String> ids = new LinkedHashSet<>(Arrays.asList(blocks.get().split(",", -1)));
            ids.removeIf(String::isEmpty);
            filter = filter.withBlocks(ids);
        }
        long[] box = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        boolean boxed = false;
        for (int i = 0; i < BOX_PARAMETERS.length; i++) {
            OptionalLong value = longParameter(request, BOX_PARAMETERS[i], "a voxel coordinate, a signed 64-bit decimal");
            if (value.isPresent()) {
                box[i] = value.getAsLong();
                boxed = true;
            }
        }
        try {
            if (boxed) {
                filter = filter.withBox(new Box(box[0], box[1], box[2], box[3], box[4], box[5]));
            }
            OptionalLong scale = longParameter(request, "scale", "a whole number from 0 to " + PointFilter.MAX_SCALE);
            if (scale.isPresent()) {
                filter = filter.withScale((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, scale.getAsLong())));
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        return filter;
    }

    /** @return the {@code max} parameter: the most points to send, at least 1 */
    static OptionalLong max(ServerRequest request) {
        OptionalLong max = longParameter(request, "max", "the most points to send, a whole number of at least 1");
        if (max.isPresent() && max.getAsLong() < 1) {
            throw HttpError.badRequest("Cannot use max=" + max.getAsLong() + ": max is the most points to send, at "
                    + "least 1");
        }
        return max;
    }

    /** @return a whole-number query parameter, if given */
    static OptionalLong longParameter(ServerRequest request, String name, String rule) {
        Optional<String> text = request.query().first(name).asOptional();
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.get().strip()));
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Cannot use " + name + "='" + text.get() + "': " + name + " is " + rule);
        }
    }

    /** @return a true/false query parameter; absent is false */
    static boolean flag(ServerRequest request, String name) {
        Optional<String> text = request.query().first(name).asOptional();
        if (text.isEmpty()) {
            return false;
        }
        return switch (text.get().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw HttpError.badRequest("Cannot use " + name + "='" + text.get() + "': " + name
                    + " is true or false");
        };
    }
}
