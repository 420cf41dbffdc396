package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Encoding;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 4: pausing, chunked and streamed responses, streamed request bodies and the message events. */
class StreamingTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void clientLeavingWhilePausedAbortsAndDisconnectsAndALaterUnpauseIsHarmless() throws Exception {
        AtomicReference<ServerMessage> paused = new AtomicReference<>();
        CountDownLatch pausedLatch = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        CountDownLatch disconnected = new CountDownLatch(1);
        server.onRequestAborted(m -> aborted.countDown());
        server.addHandler("/", (s, m, p, q) -> {
            m.onDisconnected(disconnected::countDown);
            m.pause();
            paused.set(m);
            pausedLatch.countDown();
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(pausedLatch.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        paused.get().setStatus(200);
        paused.get().unpause();
    }

    @Test
    void pausedConnectionDoesNotBlockOtherConnections() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.addHandler("/slow", (s, m, p, q) -> {
            m.pause();
            Thread.ofVirtual().start(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    return;
                }
                m.setStatus(200);
                m.unpause();
            });
        });
        server.addHandler("/fast", (s, m, p, q) -> m.setStatus(200));
        try (WireClient slow = new WireClient(base); WireClient fast = new WireClient(base)) {
            slow.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(fast.send("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
            release.countDown();
            assertThat(slow.read().status()).isEqualTo(200);
            // the paused connection keeps working afterwards
            assertThat(slow.send("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedResponseSendsEachAppendAsAChunkAndPausesUntilMore() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        server.addHandler("/", (s, m, p, q) -> {
            m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
            m.setStatus(200);
            m.getResponseBody().append("first;");
            Thread.ofVirtual().start(() -> {
                try {
                    firstSeen.await();
                } catch (InterruptedException e) {
                    return;
                }
                m.getResponseBody().append("second");
                m.getResponseBody().complete();
                m.unpause();
            });
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            var in = c.socket().getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("first;\r\n")) {
                seen.append((char) in.read());
            }
            assertThat(seen.toString()).contains("Transfer-Encoding: chunked").contains("\r\n6\r\nfirst;\r\n");
            firstSeen.countDown();
            byte[] rest = new byte["6\r\nsecond\r\n0\r\n\r\n".length()];
            int n = 0;
            while (n < rest.length) {
                n += in.read(rest, n, rest.length - n);
            }
            assertThat(new String(rest, StandardCharsets.US_ASCII)).isEqualTo("6\r\nsecond\r\n0\r\n\r\n");
        }
    }

    @Test
    void serverSentStreamOfTenThousandChunksArrivesWhole() throws Exception {
        int count = 10_000;
        server.addHandler("/events", (s, m, p, q) -> {
            m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
            m.getResponseHeaders().replace("Content-Type", "text/event-stream");
            m.setStatus(200);
            m.pause();
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < count; i++) {
                    m.getResponseBody().append("data: " + i + "\n\n");
                    m.unpause();
                }
                m.getResponseBody().complete();
                m.unpause();
            });
        });
        HttpResponse<java.util.stream.Stream<String>> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/events")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.body().filter(l -> l.startsWith("data: ")).count()).isEqualTo(count);
    }

    @Test
    void responseBodyStreamGivesBackPressureToASlowClient() throws Exception {
        long total = 64L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        CountDownLatch writerDone = new CountDownLatch(1);
        server.addHandler("/big", (s, m, p, q) -> {
            m.setStatus(200);
            m.pause();
            Thread.ofVirtual().start(() -> {
                byte[] block = new byte[64 * 1024];
                try (OutputStream out = m.getResponseBodyStream()) {
                    while (written.get() < total) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                } catch (java.io.IOException e) {
                    // the client went away
                } finally {
                    writerDone.countDown();
                }
            });
        });
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(base.resolve("/big")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            in.readNBytes(1024 * 1024);
            // the client stops reading: the writer must stall far short of the total
            Thread.sleep(500);
            long stalledAt = written.get();
            Thread.sleep(300);
            assertThat(written.get()).isEqualTo(stalledAt).isLessThan(total / 2);
            long rest = in.transferTo(OutputStream.nullOutputStream());
            assertThat(1024 * 1024 + rest).isEqualTo(total);
        }
        assertThat(writerDone.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void streamedBodyShorterThanItsContentLengthClosesTheConnection() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.getResponseHeaders().setContentLength(10);
            m.setStatus(200);
            OutputStream out = m.getResponseBodyStream();
            out.write("12345".getBytes(StandardCharsets.US_ASCII));
            try {
                out.close();
            } catch (java.io.IOException expected) {
                // the stream names the shortfall
            }
        });
        try (WireClient c = new WireClient(base)) {
            c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            var in = c.socket().getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 10").endsWith("\r\n\r\n12345");
        }
    }

    @Test
    void http10ClientGetsAStreamedBodyCloseDelimited() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            try (OutputStream out = m.getResponseBodyStream()) {
                out.write("streamed to 1.0".getBytes(StandardCharsets.US_ASCII));
            }
        });
        try (WireClient c = new WireClient(base)) {
            WireClient.Response r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.bodyText()).isEqualTo("streamed to 1.0");
        }
    }

    @Test
    void earlyHandlerStreamsTheRequestBodyChunkByChunkAndKeepsNothing() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        AtomicLong chunks = new AtomicLong();
        List<String> order = new CopyOnWriteArrayList<>();
        server.addEarlyHandler("/upload", (s, m, p, q) -> {
            m.getRequestBody().setAccumulate(false);
            m.onGotChunk(buffer -> {
                chunks.incrementAndGet();
                digest.update(buffer);
            });
            m.onGotBody(() -> order.add("gotBody"));
        });
        server.addHandler("/upload", (s, m, p, q) -> {
            order.add("handler length=" + m.getRequestBody().length());
            m.setResponse("text/plain", HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII));
            m.setStatus(200);
        });
        byte[] payload = new byte[5 * 1024 * 1024];
        new java.util.Random(7).nextBytes(payload);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
        assertThat(chunks.get()).isGreaterThan(10);
        assertThat(order).containsExactly("gotBody", "handler length=" + payload.length);
    }

    @Test
    void earlyHandlerCanReadTheRequestBodyAsAStream() throws Exception {
        server.addEarlyHandler("/echo", (s, m, p, q) -> {
            byte[] all = m.getRequestBodyStream().readAllBytes();
            m.setResponse("application/octet-stream", all);
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.bodyText()).isEqualTo("hello world");
            assertThat(c.send("GET /echo HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void malformedBodyReadThroughTheStreamIsA400NotAHandlerFailure() throws Exception {
        server.addEarlyHandler("/echo", (s, m, p, q) -> {
            byte[] all = m.getRequestBodyStream().readAllBytes(); // throws: the chunk framing is broken
            m.setResponse("application/octet-stream", all);
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedWithin(3000)).isTrue();
        }
    }

    @Test
    void slowBodyPublisherIsReadAsItArrives() throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", String.valueOf(m.getRequestBody().length()).getBytes(StandardCharsets.US_ASCII));
            m.setStatus(200);
        });
        Flow.Publisher<ByteBuffer> slow = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int sent;

            @Override
            public void request(long n) {
                Thread.ofVirtual().start(() -> {
                    for (long i = 0; i < n && sent < 20; i++) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                        sent++;
                        subscriber.onNext(ByteBuffer.wrap(new byte[1000]));
                    }
                    if (sent == 20) {
                        subscriber.onComplete();
                    }
                });
            }

            @Override
            public void cancel() {
            }
        });
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base)
                .POST(HttpRequest.BodyPublishers.fromPublisher(slow)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("20000");
    }

    @Test
    void everyMessageEventFiresInTheDocumentedOrder() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch disconnected = new CountDownLatch(1);
        server.onRequestStarted(m -> {
            m.onGotHeaders(() -> events.add("GotHeaders"));
            m.onGotChunk(b -> events.add("GotChunk " + b.remaining()));
            m.onGotBody(() -> events.add("GotBody"));
            m.onWroteInformational(() -> events.add("WroteInformational"));
            m.onWroteHeaders(() -> events.add("WroteHeaders"));
            m.onWroteChunk(() -> events.add("WroteChunk"));
            m.onWroteBodyData(n -> events.add("WroteBodyData " + n));
            m.onWroteBody(() -> events.add("WroteBody"));
            m.onFinished(() -> events.add("Finished"));
            m.onDisconnected(() -> {
                events.add("Disconnected");
                disconnected.countDown();
            });
        });
        server.addHandler("/", (s, m, p, q) -> {
            m.getResponseHeaders().setEncoding(Encoding.CHUNKED);
            m.getResponseBody().append("ab");
            m.getResponseBody().append("cde");
            m.getResponseBody().complete();
            m.setStatus(200);
        });
        try (WireClient c = new WireClient(base)) {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("body");
            assertThat(c.read().bodyText()).isEqualTo("abcde");
        }
        assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("GotHeaders", "WroteInformational", "GotChunk 4", "GotBody", "WroteHeaders",
                "WroteBodyData 2", "WroteChunk", "WroteBodyData 3", "WroteChunk", "WroteBody", "Finished", "Disconnected");
    }
}
