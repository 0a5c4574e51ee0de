package org.pocaduck.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Map;

/** Printing shared by the commands and the Spark job's main class: JSON documents. Thread-safe. */
public final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    /**
     * Prints a map (keys in insertion order) as an indented JSON document and flushes.
     *
     * @param out where to print
     * @param document the fields; values that Jackson can write (numbers, strings, lists, maps)
     * @throws IllegalStateException if Jackson cannot write a value
     */
    public static void json(PrintWriter out, Map<String, ?> document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot print JSON summary: " + e.getMessage(), e);
        }
        out.flush();
    }
}
