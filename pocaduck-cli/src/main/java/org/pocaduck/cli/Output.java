package org.pocaduck.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pocaduck.QueryTiming;

/** Printing helpers shared by the commands (and the Spark job's main class): JSON documents and query timings. */
public final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    /**
     * Prints a map (keys in insertion order) as an indented JSON document and flushes.
     *
     * @param out where to print
     * @param document the fields; values that Jackson can write (numbers, strings, lists, maps)
     */
    public static void json(PrintWriter out, Map<String, ?> document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot print JSON summary: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** The fields of a timing, durations in milliseconds. */
    static Map<String, Object> timing(QueryTiming timing) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("backend", timing.backend());
        fields.put("operation", timing.operation());
        fields.put("total_ms", millis(timing.total()));
        fields.put("index_lookup_ms", millis(timing.indexLookup()));
        fields.put("data_read_ms", millis(timing.dataRead()));
        fields.put("decode_ms", millis(timing.decode()));
        fields.put("files_touched", timing.filesTouched());
        fields.put("rows_read", timing.rowsRead());
        fields.put("bytes_read", timing.bytesRead());
        fields.put("read_requests", timing.readRequests());
        fields.put("points_returned", timing.pointsReturned());
        fields.put("cache_hit", timing.cacheHit());
        fields.put("sql", timing.sql());
        return fields;
    }

    /** Prints a timing as "timing: key=value ..." lines (SQL statements one per line). */
    static void printTiming(PrintWriter err, QueryTiming timing) {
        StringBuilder line = new StringBuilder("timing:");
        timing(timing).forEach((key, value) -> {
            if (!key.equals("sql")) {
                line.append(' ').append(key).append('=').append(value);
            }
        });
        err.println(line);
        for (String sql : timing.sql()) {
            err.println("timing: sql: " + sql);
        }
        err.flush();
    }

    static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }
}
