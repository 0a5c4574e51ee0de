package org.pocaduck.serve;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.FileSystemHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.pocaduck.Labels;
import org.pocaduck.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only HTTP service over one or more stores of any storage type, on the Helidon SE
 * WebServer: DVID-style endpoints under {@code /api/<store>/} (also reachable as DVID clients
 * spell them, {@code /api/node/<any uuid>/<store>/}) and neuroglancer precomputed sources under
 * {@code /neuroglancer/<store>/}; optionally a neuroglancer build at {@code /ng/} from the same
 * origin. {@code docs/serve.md} lists every endpoint, parameter and status.
 *
 * <p>Every response carries CORS headers ({@code Access-Control-Allow-Origin: *}); OPTIONS is
 * answered 204. Methods other than GET, HEAD and POST (where an endpoint takes it) are 405 with
 * {@code Allow}. Errors are one line of text, "Cannot ...": a bad label or parameter 400 naming
 * the rule, an unknown store or label 404, a store that fails 503 (logged once at WARN with its
 * cause); never a stack trace.
 *
 * <p>Each store gets one {@link org.pocaduck.Query} when the server starts, so the server sees
 * every store as consolidated then. Thread-safe: requests run on virtual threads. The caller
 * owns the stores and closes them after {@link #close()}; the server closes its queries.
 */
public final class PointServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PointServer.class);
    private static final Pattern STORE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Response header: the scale of the points sent (0 = full resolution). */
    public static final String SCALE_HEADER = "X-Pocaduck-Scale";
    /** Response header: the number of points sent, where known before the body. */
    public static final String POINTS_HEADER = "X-Pocaduck-Points";
    /** Response header: the dimension names of the points sent, comma-separated. */
    public static final String DIMENSIONS_HEADER = "X-Pocaduck-Dimensions";

    /**
     * One answered request, for an access log.
     *
     * @param method the HTTP method
     * @param path the raw path, without the query
     * @param status the status code sent
     * @param elapsed the time from the request to the end of the response
     */
    public record Request(String method, String path, int status, Duration elapsed) {
    }

    private final Map<String, ServedStore> stores;
    private final ServerSettings settings;
    private final Consumer<Request> listener;
    private final WebServer server;
    private volatile boolean closed;

    private PointServer(Map<String, Store> stores, ServerSettings settings, Consumer<Request> listener) {
        this.settings = settings;
        this.listener = listener;
        Map<String, ServedStore> served = new LinkedHashMap<>();
        try {
            stores.forEach((name, store) -> served.put(name, new ServedStore(name, store, settings.annotationLimit(),
                    settings.segmentLimit())));
            this.stores = Map.copyOf(served);
            this.server = WebServer.builder().host(settings.bind()).port(settings.port()).shutdownHook(false)
                    .routing(this::routing).build().start();
        } catch (RuntimeException e) {
            served.values().forEach(ServedStore::close);
            throw e;
        }
    }

    /**
     * Starts serving.
     *
     * @param stores the stores by name (1 to 128 characters of {@code [A-Za-z0-9._-]}, starting
     *     with a letter or digit: they appear in URLs); open, owned by the caller
     * @param settings address, port and limits
     * @return the running server
     * @throws IllegalArgumentException if there is no store or a name breaks the rule
     * @throws IllegalStateException if the server cannot listen (port taken, address unknown)
     */
    public static PointServer start(Map<String, Store> stores, ServerSettings settings) {
        return start(stores, settings, request -> { });
    }

    /**
     * Starts serving, telling {@code listener} of every request answered (from a request's
     * thread, after its response; it must be thread-safe and quick).
     *
     * @see #start(Map, ServerSettings)
     */
    public static PointServer start(Map<String, Store> stores, ServerSettings settings, Consumer<Request> listener) {
        Objects.requireNonNull(stores, "stores is null");
        Objects.requireNonNull(settings, "settings is null");
        Objects.requireNonNull(listener, "listener is null");
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("Cannot serve no store: give at least one");
        }
        for (String name : stores.keySet()) {
            if (!STORE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Cannot serve store named '" + name + "': a name is 1 to 128 "
                        + "characters of [A-Za-z0-9._-], starting with a letter or digit (it appears in URLs)");
            }
        }
        try {
            return new PointServer(stores, settings, listener);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalStateException("Cannot serve on " + settings.bind() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the port the server listens on */
    public int port() {
        return server.port();
    }

    /** @return {@code http://host:port}, the host as bound ({@code 127.0.0.1} for a wildcard address) */
    public URI uri() {
        String host = settings.bind().equals("0.0.0.0") || settings.bind().equals("::") ? "127.0.0.1" : settings.bind();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** @return the names of the stores served, sorted */
    public List<String> storeNames() {
        return stores.keySet().stream().sorted().toList();
    }

    /**
     * @return the URL that opens neuroglancer (served at /ng/) on one label of a store; it redirects
     *     to a state centred on the label
     * @throws IllegalArgumentException if the store is not served
     */
    public URI neuroglancerView(String store, long label) {
        if (!stores.containsKey(store)) {
            throw new IllegalArgumentException("Cannot show store '" + store + "': this server serves " + storeNames());
        }
        return URI.create(uri() + "/neuroglancer/" + store + "/view/" + Labels.format(label));
    }

    /** @return the label with the most points in a store, if it has any (one pass over its index, kept) */
    public java.util.OptionalLong largestLabel(String store) {
        ServedStore served = stores.get(store);
        if (served == null || served.largest().isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(served.largest().getFirst().label());
    }

    /** Stops listening (requests in flight end), then closes the queries. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } finally {
            stores.values().forEach(ServedStore::close);
        }
    }

    // ---- routing ----

    /** A handler of one store's endpoint. */
    @FunctionalInterface
    private interface StoreHandler {
        void handle(ServedStore store, ServerRequest request, ServerResponse response) throws Exception;
    }

    private void routing(HttpRouting.Builder routing) {
        routing.addFilter((chain, request, response) -> {
            long start = System.nanoTime();
            response.header("Access-Control-Allow-Origin", "*");
            response.header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
            response.header("Access-Control-Allow-Headers", "*");
            response.header("Access-Control-Expose-Headers", "Content-Length, Content-Type, " + SCALE_HEADER + ", "
                    + POINTS_HEADER + ", " + DIMENSIONS_HEADER);
            try {
                if (request.prologue().method() == Method.OPTIONS) {
                    response.header("Access-Control-Max-Age", "86400");
                    response.status(Status.NO_CONTENT_204).send();
                } else {
                    chain.proceed();
                }
            } finally {
                Request done = new Request(request.prologue().method().text(), request.prologue().uriPath().rawPath(),
                        response.status().code(), Duration.ofNanos(System.nanoTime() - start));
                LOG.debug("{} {} {} {} ms", done.method(), done.path(), done.status(), done.elapsed().toMillis());
                listener.accept(done);
            }
        });
        routing.get("/api", (request, response) -> Responses.json(response, Map.of("stores", storeNames())));
        for (String prefix : List.of("/api/{store}", "/api/node/{uuid}/{store}")) {
            read(routing, prefix + "/info", DvidEndpoints::info);
            read(routing, prefix + "/points/{label}", DvidEndpoints::points);
            read(routing, prefix + "/size/{label}", DvidEndpoints::size);
            read(routing, prefix + "/sparsevol-size/{label}", DvidEndpoints::sparsevolSize);
            read(routing, prefix + "/blocks/{label}", DvidEndpoints::blocks);
            read(routing, prefix + "/listlabels", DvidEndpoints::listLabels);
            routing.post(prefix + "/sizes", store(DvidEndpoints::sizes));
            routing.get(prefix + "/sizes", store(DvidEndpoints::sizes));
            routing.any(prefix + "/sizes", notAllowed("GET, POST, OPTIONS"));
        }
        String ng = "/neuroglancer/{store}";
        read(routing, ng + "/annotations/info", (s, q, r) -> NeuroglancerEndpoints.annotationInfo(s, settings, q, r));
        read(routing, ng + "/annotations/rel_label/{label}", NeuroglancerEndpoints::relatedLabel);
        read(routing, ng + "/annotations/by_id/{id}", NeuroglancerEndpoints::byId);
        read(routing, ng + "/annotations/spatial0/{cell}", NeuroglancerEndpoints::spatial);
        read(routing, ng + "/segment_properties/info", NeuroglancerEndpoints::segmentProperties);
        read(routing, ng + "/view/{label}", (s, q, r) -> NeuroglancerEndpoints.view(s, settings, uri().toString(), q, r));
        settings.neuroglancer().ifPresent(dir -> {
            routing.get("/ng", (request, response) -> {
                response.status(Status.MOVED_PERMANENTLY_301).header(HeaderNames.LOCATION, "/ng/").send();
            });
            routing.register("/ng", StaticContentFeature.createService(FileSystemHandlerConfig.builder()
                    .location(dir.toAbsolutePath().normalize()).welcome("index.html").build()));
        });
    }

    /** Registers GET and HEAD of a store endpoint, and 405 for every other method. */
    private void read(HttpRouting.Builder routing, String path, StoreHandler handler) {
        Handler wrapped = store(handler);
        routing.get(path, wrapped).head(path, wrapped).any(path, notAllowed("GET, HEAD, OPTIONS"));
    }

    private static Handler notAllowed(String allow) {
        return (request, response) -> {
            response.header(HeaderNames.ALLOW, allow);
            Responses.error(response, Status.METHOD_NOT_ALLOWED_405, "Cannot " + request.prologue().method().text()
                    + " " + request.prologue().uriPath().rawPath() + ": this server is read-only; allowed: " + allow);
        };
    }

    /** Resolves the store, runs the handler, and turns failures into statuses. */
    private Handler store(StoreHandler handler) {
        return (request, response) -> {
            String name = request.path().pathParameters().get("store");
            ServedStore store = stores.get(name);
            if (store == null) {
                Responses.error(response, Status.NOT_FOUND_404, "Cannot find store '" + name + "': this server serves "
                        + String.join(", ", storeNames()));
                return;
            }
            try {
                handler.handle(store, request, response);
            } catch (HttpError e) {
                Responses.error(response, e.status(), e.getMessage());
            } catch (CloseConnectionException e) {
                throw e;
            } catch (Exception e) {
                String what = request.prologue().method().text() + " " + request.prologue().uriPath().rawPath();
                LOG.warn("Cannot answer {}: store '{}' failed: {}", what, name, e.toString(), e);
                if (!response.isSent()) {
                    Responses.error(response, Status.SERVICE_UNAVAILABLE_503, "Cannot read store '" + name + "': "
                            + e.getMessage());
                }
            }
        };
    }
}
