package org.pocaduck.serve;

import io.helidon.http.Status;

/**
 * A request the server answers with an error status and a one-line message
 * ("Cannot &lt;verb&gt; &lt;object&gt;: &lt;reason&gt;"), never a stack trace. Thrown by the handlers,
 * turned into the response by {@link Endpoints}.
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;

    HttpError(Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    Status status() {
        return status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(Status.BAD_REQUEST_400, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(Status.NOT_FOUND_404, message);
    }
}
