package dev.ladle.httpd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady keep-alive load through a balancer, counted exactly: a few clients, each on one raw HTTP/1.1
 * connection (a new one only when the peer closes it or after a failure), sending {@code GET path} one
 * after another at a modest pace and checking every answer byte for byte: status 200 and the whole
 * expected body. A refused connection, a request without an answer, a wrong status and a body cut
 * short are each counted; nothing is retried behind the count's back.
 */
final class KeepAliveLoad implements AutoCloseable {
    /** The pause between one client's requests: a steady load that leaves the loaded CI machine room. */
    private static final long PACE_MILLIS = 2;

    /** What the load saw. */
    record Figures(long sent, long ok, long refused, long unanswered, long wrongStatus, long truncated, long reconnects,
                   List<String> firstFailures) {
        long failed() {
            return refused + unanswered + wrongStatus + truncated;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d requests sent, %d ok, %d failed (%d refused, %d unanswered,"
                    + " %d wrong status, %d truncated), %d new connections", sent, ok, failed(), refused, unanswered,
                    wrongStatus, truncated, reconnects);
        }
    }

    private final URI target;
    private final byte[] request;
    private final byte[] expectedBody;
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopped;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong wrongStatus = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private KeepAliveLoad(URI target, String path, byte[] expectedBody) {
        this.target = target;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getAuthority() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        this.expectedBody = expectedBody.clone();
    }

    /** Starts {@code clients} clients getting {@code path} from {@code target}, each expecting {@code body}. */
    static KeepAliveLoad start(URI target, String path, byte[] body, int clients) {
        KeepAliveLoad load = new KeepAliveLoad(target, path, body);
        for (int i = 0; i < clients; i++) {
            load.clients.add(Thread.ofPlatform().daemon().name("keep-alive-load-" + i).start(load::run));
        }
        return load;
    }

    /** The requests answered correctly so far. */
    long ok() {
        return ok.get();
    }

    /** Stops the clients after their current request and returns the figures. */
    Figures stop() throws InterruptedException {
        stopped = true;
        for (Thread client : clients) {
            client.join(HttpdProcess.WAIT.toMillis());
        }
        return new Figures(sent.get(), ok.get(), refused.get(), unanswered.get(), wrongStatus.get(), truncated.get(),
                reconnects.get(), List.copyOf(failures.subList(0, Math.min(10, failures.size()))));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void run() {
        Socket socket = null;
        while (!stopped) {
            try {
                if (socket == null) {
                    socket = connect();
                }
                if (!exchange(socket)) {
                    socket.close();
                    socket = null;
                }
                Thread.sleep(PACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // counted by exchange or connect; a fresh connection for the next request
                closeQuietly(socket);
                socket = null;
            }
        }
        closeQuietly(socket);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(socket);
            sent.incrementAndGet();
            count(e instanceof ConnectException ? refused : unanswered, "connect: " + e);
            throw e;
        }
        reconnects.incrementAndGet();
        return socket;
    }

    /** One request and its answer; false when the connection is to be closed (the server said so). */
    private boolean exchange(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        sent.incrementAndGet();
        String statusLine;
        try {
            out.write(request);
            out.flush();
            statusLine = line(in);
        } catch (IOException e) {
            count(unanswered, "no answer: " + e);
            throw e;
        }
        if (statusLine == null) {
            count(unanswered, "closed before an answer");
            throw new EOFException("closed before an answer");
        }
        long length = -1;
        boolean close = false;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (header == null || length < 0) {
            count(truncated, statusLine + ": head cut short or no Content-Length");
            throw new EOFException("head cut short");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            count(truncated, statusLine + ": body " + body.length + " of " + length + " bytes");
            throw new EOFException("body cut short");
        }
        if (!statusLine.startsWith("HTTP/1.1 200 ")) {
            count(wrongStatus, statusLine);
        } else if (!Arrays.equals(body, expectedBody)) {
            count(truncated, "body differs from the file");
        } else {
            ok.incrementAndGet();
        }
        // an answer read whole leaves nothing buffered: the next request reads afresh
        return !close;
    }

    private void count(AtomicLong counter, String what) {
        counter.incrementAndGet();
        failures.add(what);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
