package dev.ladle.httpd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** The clients the integration tests drive ladle-httpd with: the JDK HttpClient, curl and raw sockets. */
final class Clients {
    /** A JDK client that does not follow redirects, so tests see them. */
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Clients() {
    }

    /**
     * A loopback address other than 127.0.0.1 (Linux routes all of 127.0.0.0/8 to the loopback
     * interface): a client bound to it is told apart from a balancer on 127.0.0.1 in the server's logs.
     */
    static final InetAddress OTHER_LOOPBACK = loopback(127, 0, 0, 2);

    private static InetAddress loopback(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns true when a socket can be bound to {@link #OTHER_LOOPBACK} here (not on every platform). */
    static boolean otherLoopbackWorks() {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(OTHER_LOOPBACK, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns a JDK client like {@link #HTTP} whose connections come from {@code local}, trusting the
     * certificates of {@code tls} when given (null for the system's).
     */
    static HttpClient boundTo(InetAddress local, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .localAddress(local);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /** GETs {@code path} (raw, already encoded) under {@code base} with the JDK client. */
    static HttpResponse<String> get(URI base, String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    /** Sends a request built by {@code builder}, with extra header name/value pairs, as a String response. */
    static HttpResponse<String> send(HttpRequest.Builder builder, String... headers) throws IOException, InterruptedException {
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(builder.timeout(HttpdProcess.WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code request} byte for byte on a new connection to {@code base}'s host and port and reads
     * the answer until the server closes (send {@code Connection: close}); returns it as Latin-1 text.
     */
    static String raw(URI base, String request) throws IOException {
        return rawFrom(null, base, request);
    }

    /** As {@link #raw}, from a socket bound to {@code local} (null: any local address). */
    static String rawFrom(InetAddress local, URI base, String request) throws IOException {
        try (Socket socket = new Socket()) {
            if (local != null) {
                socket.bind(new InetSocketAddress(local, 0));
            }
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout((int) HttpdProcess.WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Returns the status code of a raw response text. */
    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    /** What curl did. */
    record CurlResult(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code curl -sS args...} and returns its exit code and output. */
    static CurlResult curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish: " + command);
        }
        return new CurlResult(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("[" + e + "]").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code data} and flushes, for slow uploads written piece by piece. */
    static void writeNow(OutputStream out, String data) throws IOException {
        out.write(data.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads from {@code in} until the end of the stream. */
    static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }
}
