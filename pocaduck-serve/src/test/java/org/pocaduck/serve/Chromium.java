package org.pocaduck.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (Debian's {@code chromium}, WebGL on the CPU with SwiftShader) showing one
 * page, driven in real time over the DevTools protocol with the JDK's WebSocket client: no Node,
 * no virtual time (which stalls neuroglancer's worker on responses over about 512 KB).
 */
final class Chromium implements AutoCloseable {
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final WebSocket page;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();

    /**
     * Starts Chromium on a page.
     *
     * @param binary the chromium executable
     * @param profile an empty directory for the browser's profile
     * @param url the page
     */
    Chromium(String binary, Path profile, String url) throws IOException, InterruptedException {
        process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--use-angle=swiftshader",
                "--enable-unsafe-swiftshader", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--window-size=1000,800",
                "--remote-debugging-port=0", url).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("chromium ended: " + output));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int devtools = port.get(60, TimeUnit.SECONDS);
            String pageSocket = null;
            for (int tries = 0; pageSocket == null && tries < 100; tries++) {
                HttpResponse<String> list = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devtools
                        + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode target : Responses.JSON.readTree(list.body())) {
                    if (target.get("type").asText().equals("page")) {
                        pageSocket = target.get("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    Thread.sleep(100);
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("chromium opened no page: " + output);
            }
            page = CLIENT.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Replies()).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("Cannot drive chromium: " + e + "; its output: " + output, e);
        }
    }

    /** @return a PNG of the page as it is now */
    byte[] screenshot() throws Exception {
        JsonNode reply = call("Page.captureScreenshot", "{\"format\":\"png\"}");
        return Base64.getDecoder().decode(reply.get("result").get("data").asText());
    }

    /** @return what chromium printed so far */
    List<String> output() {
        return List.copyOf(output);
    }

    private JsonNode call(String method, String params) throws Exception {
        int id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        page.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
                .get(30, TimeUnit.SECONDS);
        return reply.get(60, TimeUnit.SECONDS);
    }

    /** Collects the page's messages and completes the call each reply answers. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode node = Responses.JSON.readTree(message.toString());
                    if (node.has("id")) {
                        CompletableFuture<JsonNode> reply = replies.remove(node.get("id").asInt());
                        if (reply != null) {
                            reply.complete(node);
                        }
                    }
                } catch (IOException e) {
                    replies.values().forEach(r -> r.completeExceptionally(e));
                }
                message.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        page.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
