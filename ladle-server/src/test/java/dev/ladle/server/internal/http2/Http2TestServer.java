package dev.ladle.server.internal.http2;

import dev.ladle.http.MessageHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server: a ServerSocket on 127.0.0.1 and, per accepted socket (TCP_NODELAY), a virtual thread
 * running an {@link Http2Connection}. The default handler routes by path:
 * {@code /echo} answers the request body, {@code /stream/N} N bytes, {@code /hold} answers nothing until
 * the stream is reset, {@code /block} waits until the
 * stream is reset, {@code /fail} throws, {@code /nothing} returns without answering, anything else
 * reads the body and answers "200 text/plain ok".
 */
final class Http2TestServer implements AutoCloseable {
    final ServerSocket serverSocket;
    final List<Http2Connection> connections = new CopyOnWriteArrayList<>();
    /** Handler starts, counted. */
    final AtomicInteger started = new AtomicInteger();
    /** Counted down by each /block handler when it starts. */
    volatile CountDownLatch blockStarted = new CountDownLatch(1);
    /** Counted down by each /block handler when its stream was reset (read failed, listener ran). */
    volatile CountDownLatch blockReset = new CountDownLatch(1);
    /** Counted down when a connection's serve() returned. */
    final CountDownLatch connectionEnded = new CountDownLatch(1);
    private final Http2Config config;
    private final Http2StreamHandler handler;

    Http2TestServer() throws IOException {
        this(Http2Config.defaults(), null);
    }

    Http2TestServer(Http2Config config) throws IOException {
        this(config, null);
    }

    Http2TestServer(Http2Config config, Http2StreamHandler handler) throws IOException {
        this.config = config;
        this.handler = handler != null ? handler : this::route;
        serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    Http2Connection connection() {
        return connections.get(0);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                Http2Connection c = new Http2Connection(config, socket.getInputStream(), socket.getOutputStream(),
                        () -> closeQuietly(socket), stream -> {
                            started.incrementAndGet();
                            handler.serve(stream);
                        });
                connections.add(c);
                Thread.ofVirtual().start(() -> {
                    try {
                        c.serve();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        connectionEnded.countDown();
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private void route(Http2Stream stream) throws IOException {
        String path = stream.request().path();
        if (path == null) {
            path = "";
        }
        if (path.equals("/echo")) {
            byte[] body = readAll(stream);
            MessageHeaders h = new MessageHeaders();
            h.append("Content-Type", "application/octet-stream");
            stream.writeHeaders(200, h, body.length, body.length == 0);
            if (body.length > 0) {
                stream.writeData(body, 0, body.length, true);
            }
        } else if (path.startsWith("/stream/")) {
            int n = Integer.parseInt(path.substring("/stream/".length()));
            readAll(stream);
            stream.writeHeaders(200, new MessageHeaders(), n, false);
            byte[] chunk = new byte[8192];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) ('a' + i % 26);
            }
            for (int left = n; left > 0; left -= chunk.length) {
                stream.writeData(chunk, 0, Math.min(left, chunk.length), left <= chunk.length);
            }
            if (n == 0) {
                stream.endStream();
            }
        } else if (path.equals("/block")) {
            CountDownLatch reset = blockReset;
            stream.onReset(reset::countDown);
            blockStarted.countDown();
            try {
                readAll(stream);
            } catch (StreamResetException e) {
                reset.countDown();
                throw e;
            }
        } else if (path.equals("/hold")) {
            // answers nothing and reads nothing until the stream is reset (or 10 s pass)
            CountDownLatch reset = blockReset;
            stream.onReset(reset::countDown);
            blockStarted.countDown();
            try {
                reset.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (path.equals("/fail")) {
            throw new IllegalStateException("handler failure (expected by the test)");
        } else if (path.equals("/nothing")) {
            return;
        } else if (path.equals("/trailers")) {
            readAll(stream);
            StringBuilder sb = new StringBuilder();
            List<String> t = stream.trailers();
            for (int i = 0; i < t.size(); i += 2) {
                sb.append(t.get(i)).append('=').append(t.get(i + 1)).append(';');
            }
            ok(stream, sb.toString());
        } else {
            readAll(stream);
            ok(stream, "ok");
        }
    }

    static void ok(Http2Stream stream, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        MessageHeaders h = new MessageHeaders();
        h.append("Content-Type", "text/plain");
        stream.writeHeaders(200, h, body.length, false);
        stream.writeData(body, 0, body.length, true);
    }

    static byte[] readAll(Http2Stream stream) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = stream.read(buf, 0, buf.length)) >= 0; ) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Http2Connection c : connections) {
            c.abort();
        }
    }
}
