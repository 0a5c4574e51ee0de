package org.pocaduck.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of a real server (here {@link S3Server}) that passes
 * requests through unchanged, except the ones a test arms it to break: answer with an error
 * status (a throttling {@code 503 SlowDown}), drop the connection without an answer (dropped
 * mid-upload), or cut a response off after some bytes of its body (dropped mid-read). A client pointed at {@link #endpoint()} sees those faults as
 * it would from a real server. Requests are relayed one at a time per connection, keep-alive
 * kept; {@code Expect: 100-continue} is answered by the proxy itself.
 */
public final class HttpFaultProxy implements AutoCloseable {
    /** What to do to matching requests, and how many more times. */
    private record Fault(Predicate<String> requestLine, AtomicInteger left, int status, String body, int cutAfter) {
    }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Fault> faults = new ArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();

    private HttpFaultProxy(ServerSocket server, String upstreamHost, int upstreamPort) {
        this.server = server;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
    }

    /** Starts a proxy to {@code http://host:port}. */
    public static HttpFaultProxy start(String upstreamHost, int upstreamPort) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        HttpFaultProxy proxy = new HttpFaultProxy(socket, upstreamHost, upstreamPort);
        Thread accept = new Thread(proxy::acceptLoop, "http-fault-proxy");
        accept.setDaemon(true);
        accept.start();
        return proxy;
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Answers the next {@code count} requests whose request line (e.g. {@code GET /bucket/key
     * HTTP/1.1}) matches with {@code status} and an S3 error body of that code, instead of
     * passing them on.
     */
    public synchronized void failNext(int count, Predicate<String> requestLine, int status, String errorCode) {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + errorCode + "</Code><Message>"
                + errorCode + " injected by the test proxy</Message></Error>";
        faults.add(new Fault(requestLine, new AtomicInteger(count), status, body, -1));
    }

    /**
     * Reads the next {@code count} matching requests whole and closes the connection without
     * answering (a connection dropped during an upload, before the server's reply).
     */
    public synchronized void dropNext(int count, Predicate<String> requestLine) {
        faults.add(new Fault(requestLine, new AtomicInteger(count), 0, null, -2));
    }

    /**
     * Passes the next {@code count} matching requests on, but closes the connection after
     * {@code bytes} bytes of each one's response body.
     */
    public synchronized void cutNext(int count, Predicate<String> requestLine, int bytes) {
        faults.add(new Fault(requestLine, new AtomicInteger(count), 0, null, bytes));
    }

    /** @return how many faults have been injected so far */
    public int injected() {
        return injected.get();
    }

    private synchronized Fault faultFor(String requestLine) {
        for (Fault fault : faults) {
            if (fault.left().get() > 0 && fault.requestLine().test(requestLine)) {
                fault.left().decrementAndGet();
                injected.incrementAndGet();
                return fault;
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                synchronized (sockets) {
                    sockets.add(client);
                }
                Thread thread = new Thread(() -> serve(client), "http-fault-proxy-connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstream = new Socket(upstreamHost, upstreamPort)) {
            synchronized (sockets) {
                sockets.add(upstream);
            }
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            while (true) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return;
                }
                boolean expectContinue = "100-continue".equalsIgnoreCase(request.header("expect"));
                if (expectContinue) {
                    toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    toClient.flush();
                }
                byte[] body = fromClient.readNBytes((int) request.contentLength());
                Fault fault = faultFor(request.firstLine());
                if (fault != null && fault.cutAfter() == -2) {
                    return;
                }
                if (fault != null && fault.cutAfter() == -1) {
                    byte[] error = fault.body().getBytes(StandardCharsets.UTF_8);
                    toClient.write(("HTTP/1.1 " + fault.status() + " Injected\r\nContent-Type: application/xml\r\n"
                            + "Content-Length: " + error.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    toClient.write(error);
                    toClient.flush();
                    return;
                }
                toUpstream.write(request.bytes(expectContinue));
                toUpstream.write(body);
                toUpstream.flush();
                Head response = Head.read(fromUpstream);
                if (response == null) {
                    return;
                }
                toClient.write(response.bytes(false));
                boolean noBody = request.firstLine().startsWith("HEAD ") || response.firstLine().contains(" 204 ")
                        || response.firstLine().contains(" 304 ");
                if (noBody) {
                    toClient.flush();
                    continue;
                }
                if ("chunked".equalsIgnoreCase(response.header("transfer-encoding"))) {
                    relayChunked(fromUpstream, toClient);
                    continue;
                }
                long length = response.contentLength();
                if (fault != null) {
                    toClient.write(fromUpstream.readNBytes((int) Math.min(length, fault.cutAfter())));
                    toClient.flush();
                    return; // the connection drops mid-body
                }
                copy(fromUpstream, toClient, length);
                toClient.flush();
            }
        } catch (IOException e) {
            // A client or server went away: so does this connection.
        }
    }

    private static void relayChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = Head.line(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            out.write(in.readNBytes(size + 2));
            if (size == 0) {
                out.flush();
                return;
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the server closed the connection with " + left + " bytes of a body left");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** A request or response head: the first line and the header lines. */
    private record Head(String firstLine, List<String> headers) {
        static Head read(InputStream in) throws IOException {
            String first = line(in);
            if (first == null || first.isEmpty()) {
                return null;
            }
            List<String> headers = new ArrayList<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                headers.add(h);
            }
            return new Head(first, headers);
        }

        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    String s = bytes.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                bytes.write(b);
            }
            return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
        }

        String header(String name) {
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return h.substring(colon + 1).trim();
                }
            }
            return null;
        }

        long contentLength() {
            String length = header("content-length");
            return length == null ? 0 : Long.parseLong(length);
        }

        byte[] bytes(boolean dropExpect) {
            StringBuilder text = new StringBuilder(firstLine).append("\r\n");
            for (String h : headers) {
                if (!(dropExpect && h.toLowerCase(Locale.ROOT).startsWith("expect:"))) {
                    text.append(h).append("\r\n");
                }
            }
            return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
