package dev.ladle.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ladle.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 without TLS (h2c by prior knowledge) on an ordinary plain listener, with real clients: curl,
 * OkHttp, nghttp and the JDK's HttpClient (which only knows the retired {@code Upgrade: h2c}, so it
 * gets HTTP/1.1), plus raw sockets for how the listener tells the two protocols apart.
 */
class Http2ClientsTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(ISO_8859_1);

    @TempDir
    Path dir;
    private Server server;
    private URI base;

    private void start(Limits limits) throws IOException {
        server = new Server();
        if (limits != null) {
            server.setLimits(limits);
        }
        server.addHandler("/version", (s, msg, path, query) ->
                {
            msg.setStatus(200);
            msg.setResponse("text/plain", msg.getHttpVersion().text().getBytes(UTF_8));
        });
        server.addHandler("/echo", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("application/octet-stream", msg.getRequestBody().flatten());
        });
        server.addHandler("/bytes", (s, msg, path, query) -> {
            long n = Long.parseLong(query.get("n"));
            msg.setStatus(200);
            msg.getResponseHeaders().setContentLength(n);
            try (OutputStream out = msg.getResponseBodyStream()) {
                byte[] block = new byte[16 * 1024];
                for (long sent = 0; sent < n; sent += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, n - sent));
                }
            }
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static OkHttpClient priorKnowledge() {
        return new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .readTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void curlWithPriorKnowledgeIsServedOverHttp2() throws Exception {
        start(null);
        Process p = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "-w", " %{http_version}",
                base.resolve("/version").toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), UTF_8)).isEqualTo("HTTP/2 2");
    }

    @Test
    void curlUploadThroughASmallWindowArrivesWhole() throws Exception {
        start(new Limits().setHttp2StreamWindow(65_535));
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        Path in = dir.resolve("in.bin");
        Path out = dir.resolve("out.bin");
        Files.write(in, data);
        Process p = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@" + in,
                "-o", out.toString(), base.resolve("/echo").toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), UTF_8)).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
    }

    @Test
    void aStreamWindowBelowTheProtocolDefaultIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Limits().setHttp2StreamWindow(65_534))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
    }

    @Test
    void okHttpWithPriorKnowledgeIsServedOverHttp2() throws Exception {
        start(null);
        try (Response r = priorKnowledge().newCall(new Request.Builder().url(base.resolve("/version").toString()).build()).execute()) {
            assertThat(r.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(r.body().string()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void manyConcurrentStreamsShareOneConnectionAndRunAtOnce() throws Exception {
        int streams = 50;
        CountDownLatch allArrived = new CountDownLatch(streams);
        Set<Object> connections = ConcurrentHashMap.newKeySet();
        start(null);
        server.addHandler("/together", (s, msg, path, query) -> {
            connections.add(msg.getRemoteAddress());
            allArrived.countDown();
            try {
                // every handler waits for all the others: passes only when the streams run concurrently
                boolean together = allArrived.await(20, TimeUnit.SECONDS);
                msg.setResponse("text/plain", (together ? "together" : "alone").getBytes(UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        OkHttpClient client = priorKnowledge();
        client.dispatcher().setMaxRequestsPerHost(streams);
        List<java.util.concurrent.CompletableFuture<String>> bodies = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            Call call = client.newCall(new Request.Builder().url(base.resolve("/together").toString()).build());
            java.util.concurrent.CompletableFuture<String> body = new java.util.concurrent.CompletableFuture<>();
            bodies.add(body);
            call.enqueue(new okhttp3.Callback() {
                @Override
                public void onFailure(Call c, IOException e) {
                    body.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call c, Response response) throws IOException {
                    try (response) {
                        body.complete(response.body().string());
                    }
                }
            });
        }
        for (var body : bodies) {
            assertThat(body.get(30, TimeUnit.SECONDS)).isEqualTo("together");
        }
        assertThat(connections).hasSize(1);
    }

    @Test
    void largeDownloadThroughTheDefaultWindowsArrivesWhole() throws Exception {
        start(null);
        long n = 20L * 1024 * 1024 + 5;
        try (Response r = priorKnowledge().newCall(new Request.Builder().url(base.resolve("/bytes?n=" + n).toString()).build()).execute()) {
            assertThat(r.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(r.header("content-length")).isEqualTo(Long.toString(n));
            long got = 0;
            try (InputStream in = r.body().byteStream()) {
                byte[] b = new byte[64 * 1024];
                int k;
                while ((k = in.read(b)) > 0) {
                    got += k;
                }
            }
            assertThat(got).isEqualTo(n);
        }
    }

    @Test
    void uploadThroughASmallWindowToAnEarlyHandlerReadingItsStreamArrivesWhole() throws Exception {
        start(new Limits().setHttp2StreamWindow(65_535));
        AtomicReference<String> digest = new AtomicReference<>();
        server.addEarlyHandler("/stream", (s, msg, path, query) -> {
            try (InputStream in = msg.getRequestBodyStream()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] b = new byte[1000];
                int k;
                while ((k = in.read(b)) > 0) {
                    sha.update(b, 0, k);
                }
                digest.set(HexFormat.of().formatHex(sha.digest()));
                msg.setStatus(200);
                msg.setResponse("text/plain", digest.get().getBytes(UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(3).nextBytes(data);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        Request request = new Request.Builder().url(base.resolve("/stream").toString())
                .post(RequestBody.create(data, MediaType.get("application/octet-stream"))).build();
        try (Response r = priorKnowledge().newCall(request).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo(expected);
        }
    }

    @Test
    void clientCancellingMidBodyAbortsTheMessageAndStopsTheHandlersWrites() throws Exception {
        start(null);
        CountDownLatch aborted = new CountDownLatch(1);
        CountDownLatch writeFailed = new CountDownLatch(1);
        server.onRequestAborted(msg -> aborted.countDown());
        server.addHandler("/forever", (s, msg, path, query) -> {
            msg.setStatus(200);
            try (OutputStream out = msg.getResponseBodyStream()) {
                byte[] block = new byte[16 * 1024];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    out.write(block);
                }
            } catch (IOException e) {
                writeFailed.countDown();
                throw e;
            }
        });
        Call call = priorKnowledge().newCall(new Request.Builder().url(base.resolve("/forever").toString()).build());
        try (Response r = call.execute()) {
            r.body().byteStream().readNBytes(100_000);
            call.cancel();
        } catch (IOException expected) {
            // OkHttp may report the cancel on close
        }
        assertThat(writeFailed.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(aborted.await(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void nghttpGetsAnHttp2Answer() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nghttp")), "nghttp (Debian nghttp2-client) is not installed");
        start(null);
        Process p = new ProcessBuilder("nghttp", "-n", "-s", base.resolve("/version").toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), UTF_8)).isZero();
        Process body = new ProcessBuilder("nghttp", base.resolve("/version").toString()).redirectErrorStream(true).start();
        assertThat(body.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(body.getInputStream().readAllBytes(), UTF_8)).isEqualTo("HTTP/2");
    }

    @Test
    void jdkClientAskingForHttp2OnAPlainPortIsServedAsHttp11() throws Exception {
        start(null);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).isEqualTo("HTTP/1.1");
    }

    @Test
    void upgradeToH2cIsIgnoredAndTheRequestServedAsHttp11() throws Exception {
        start(null);
        String response = rawExchange(("GET /version HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nHTTP/1.1").doesNotContain("101");
    }

    @Test
    void withH2cDisabledThePrefaceIsAnHttp1RequestAnswered505() throws Exception {
        server = new Server();
        server.setH2cEnabled(false);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
        assertThat(server.isH2cEnabled()).isFalse();
        assertThat(rawExchange(PREFACE)).startsWith("HTTP/1.1 505 ");
    }

    @Test
    void thePrefaceGetsTheServersSettingsFrame() throws Exception {
        start(null);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            byte[] header = socket.getInputStream().readNBytes(9);
            assertThat(header).hasSize(9);
            assertThat(header[3]).as("frame type").isEqualTo((byte) 4);
            assertThat(header[4] & 1).as("not an ACK").isZero();
        }
    }

    @Test
    void bytesThatAreNeitherProtocolCloseTheConnectionWithoutAnAnswer() throws Exception {
        start(null);
        assertThat(rawExchange("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(ISO_8859_1))).isEmpty();
    }

    @Test
    void withH2cDisabledBytesThatAreNeitherProtocolGet400() throws Exception {
        server = new Server();
        server.setH2cEnabled(false);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
        assertThat(rawExchange("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(ISO_8859_1))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void http2RequestsReportTheirVersionToHandlers() throws Exception {
        start(null);
        AtomicReference<HttpVersion> seen = new AtomicReference<>();
        server.addHandler("/seen", (s, msg, path, query) -> {
            seen.set(msg.getHttpVersion());
            msg.setStatus(204);
        });
        try (Response r = priorKnowledge().newCall(new Request.Builder().url(base.resolve("/seen").toString()).build()).execute()) {
            assertThat(r.code()).isEqualTo(204);
        }
        assertThat(seen.get()).isEqualTo(HttpVersion.HTTP_2);
    }

    /** Sends {@code request} on a new connection and returns everything the server sent until it closed. */
    private String rawExchange(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            return all.toString(ISO_8859_1);
        }
    }
}
