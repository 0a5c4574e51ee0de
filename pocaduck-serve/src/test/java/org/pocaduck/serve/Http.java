package org.pocaduck.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A small HTTP client for the tests: the JDK's, against one server. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final URI base;

    Http(URI base) {
        this.base = base;
    }

    HttpResponse<byte[]> get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<byte[]> send(String method, String path, HttpRequest.BodyPublisher body) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).method(method, body).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /**
     * An npy body: its header dict and its values, read as numpy would (little-endian 8-byte
     * fields, row-major).
     */
    record Npy(String header, long[] values) {
        static Npy read(byte[] body) {
            ByteBuffer in = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
            if ((in.get(0) & 0xFF) != 0x93 || !new String(body, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                throw new AssertionError("not an npy body");
            }
            int length = in.getShort(8) & 0xFFFF;
            String header = new String(body, 10, length, StandardCharsets.US_ASCII);
            in.position(10 + length);
            long[] values = new long[in.remaining() / 8];
            in.asLongBuffer().get(values);
            return new Npy(header, values);
        }
    }
}
