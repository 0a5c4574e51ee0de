package org.pocaduck.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends response bodies: JSON, plain-text errors, binary, and streams that fail cleanly. */
final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /** Writes a stream's bytes. */
    @FunctionalInterface
    interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /** @return a map keeping the order of its keys (JSON objects as written): key, value, key, value... */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static void json(ServerResponse response, Object value) {
        try {
            response.header(HeaderNames.CONTENT_TYPE, "application/json");
            response.send(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
        }
    }

    static void bytes(ServerResponse response, String contentType, byte[] body) {
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        response.send(body);
    }

    static void error(ServerResponse response, Status status, String message) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.send((message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Streams a body. The first 64 KiB are held back: a body that fits is sent whole with its
     * length, and a failure before it overflows (a store that cannot be read fails on its first
     * chunk) leaves the response unsent, for the caller to answer with an error status. Once
     * bytes have left, a failure cannot become a status: it is logged at WARN (once, here) and the
     * connection is closed, so the client sees a body shorter than its Content-Length or a chunked
     * body without its end. A client that goes away is not an error (DEBUG).
     *
     * @param length the body's length in bytes, or -1 to send it chunked if it exceeds 64 KiB
     * @param what what is sent, for the log
     */
    static void stream(ServerResponse response, String contentType, long length, String what, BodyWriter writer)
            throws IOException {
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        HeldBack out = new HeldBack(response, length);
        try {
            writer.write(out);
            out.finish();
        } catch (ServerConnectionException e) {
            LOG.debug("The client went away while {} was sent: {}", what, e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            if (!out.started()) {
                throw e;
            }
            LOG.warn("Cannot finish sending {}: {}", what, e.toString(), e);
            throw new CloseConnectionException("Cannot finish sending " + what + ": " + e.getMessage(), e);
        }
    }

    /** An output stream that opens the response's stream only once its first 64 KiB are full. */
    private static final class HeldBack extends OutputStream {
        private final ServerResponse response;
        private final long length;
        private final byte[] held = new byte[1 << 16];
        private int size;
        private OutputStream out;

        HeldBack(ServerResponse response, long length) {
            this.response = response;
            this.length = length;
        }

        boolean started() {
            return out != null;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (out == null && size + count <= held.length) {
                System.arraycopy(bytes, offset, held, size, count);
                size += count;
                return;
            }
            if (out == null) {
                if (length >= 0) {
                    response.contentLength(length);
                }
                out = new BufferedOutputStream(response.outputStream(), 1 << 16);
                out.write(held, 0, size);
            }
            out.write(bytes, offset, count);
        }

        void finish() throws IOException {
            if (out == null) {
                response.send(held, 0, size);
            } else {
                out.close();
            }
        }
    }
}
