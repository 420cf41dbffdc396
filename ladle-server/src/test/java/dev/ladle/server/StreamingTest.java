package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Encoding;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: pausing, chunked and streamed responses, streamed request bodies and the message events, over
 * HTTP/1.1 and HTTP/2 (HTTP/1.0 and chunk-framing errors are HTTP/1-only).
 */
class StreamingTest {
    private Server server;
    private URI base;

    private static String text(byte[] piece) {
        assertThat(piece).as("a body piece").isNotNull();
        return new String(piece, StandardCharsets.UTF_8);
    }

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

    @BothProtocols
    void clientLeavingWhilePausedAbortsAndDisconnectsAndALaterUnpauseIsHarmless(Protocol protocol) throws Exception {
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
        try (ProtocolClient c = protocol.connect(base)) {
            c.send(Request.get("/"));
            assertThat(pausedLatch.await(5, TimeUnit.SECONDS)).isTrue();
            c.cancel();
        }
        assertThat(aborted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        paused.get().setStatus(200);
        paused.get().unpause();
    }

    @BothProtocols
    void pausedConnectionDoesNotBlockOtherConnections(Protocol protocol) throws Exception {
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
        try (ProtocolClient slow = protocol.connect(base); ProtocolClient fast = protocol.connect(base)) {
            slow.send(Request.get("/slow"));
            assertThat(fast.get("/fast").status()).isEqualTo(200);
            release.countDown();
            assertThat(slow.read().status()).isEqualTo(200);
            // the paused connection keeps working afterwards
            assertThat(slow.get("/fast").status()).isEqualTo(200);
        }
    }

    @BothProtocols
    void chunkedResponseSendsEachAppendAsAPieceAndPausesUntilMore(Protocol protocol) throws Exception {
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
        try (ProtocolClient c = protocol.connect(base)) {
            Response head = c.send(Request.get("/")).readHead();
            // HTTP/1.1 sends each piece as a chunk; HTTP/2 as a DATA frame, with no Transfer-Encoding
            assertThat(head.header("Transfer-Encoding")).isEqualTo(protocol == Protocol.HTTP_1_1 ? "chunked" : null);
            assertThat(text(c.readBodyPiece())).isEqualTo("first;");
            firstSeen.countDown();
            assertThat(text(c.readBodyPiece())).isEqualTo("second");
            assertThat(c.readBodyPiece()).isNull();
        }
    }

    @BothProtocols
    void serverSentStreamOfTenThousandChunksArrivesWhole(Protocol protocol) throws Exception {
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
        try (ProtocolClient c = protocol.connect(base)) {
            String body = c.get("/events").bodyText();
            assertThat(body.lines().filter(l -> l.startsWith("data: ")).count()).isEqualTo(count);
        }
    }

    @BothProtocols
    void responseBodyStreamGivesBackPressureToASlowClient(Protocol protocol) throws Exception {
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
        try (ProtocolClient c = protocol.connect(base)) {
            assertThat(c.send(Request.get("/big")).readHead().status()).isEqualTo(200);
            long read = 0;
            while (read < 1024 * 1024) {
                read += c.readBodyPiece().length;
            }
            // the client stops reading (HTTP/2: and stops granting stream credit): the writer must
            // stall far short of the total
            Thread.sleep(500);
            long stalledAt = written.get();
            Thread.sleep(300);
            assertThat(written.get()).isEqualTo(stalledAt).isLessThan(total / 2);
            byte[] piece;
            while ((piece = c.readBodyPiece()) != null) {
                read += piece.length;
            }
            assertThat(read).isEqualTo(total);
        }
        assertThat(writerDone.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @BothProtocols
    void streamedBodyShorterThanItsContentLengthEndsTheExchange(Protocol protocol) throws Exception {
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
        try (ProtocolClient c = protocol.connect(base)) {
            Response head = c.send(Request.get("/")).readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("10");
            StringBuilder body = new StringBuilder();
            byte[] piece;
            while ((piece = c.readBodyPiece()) != null) {
                body.append(text(piece));
            }
            assertThat(body.toString()).isEqualTo("12345");
            // HTTP/1.1 closes the connection; HTTP/2 resets the stream instead of ending it
            assertThat(c.endedByServer(3000)).isTrue();
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

    @BothProtocols
    void earlyHandlerStreamsTheRequestBodyChunkByChunkAndKeepsNothing(Protocol protocol) throws Exception {
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
        try (ProtocolClient c = protocol.connect(base)) {
            Response r = c.send(Request.of("POST", "/upload").body(payload)).read();
            assertThat(r.bodyText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
        }
        assertThat(chunks.get()).isGreaterThan(10);
        assertThat(order).containsExactly("gotBody", "handler length=" + payload.length);
    }

    @BothProtocols
    void earlyHandlerCanReadTheRequestBodyAsAStream(Protocol protocol) throws Exception {
        server.addEarlyHandler("/echo", (s, m, p, q) -> {
            byte[] all = m.getRequestBodyStream().readAllBytes();
            m.setResponse("application/octet-stream", all);
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            // no length: chunked over HTTP/1.1, plain DATA frames over HTTP/2
            c.sendHead(Request.of("POST", "/echo").header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(100);
            Response r = c.sendBody("hello").sendBody(" world").endBody().read();
            assertThat(r.bodyText()).isEqualTo("hello world");
            assertThat(c.get("/echo").status()).isEqualTo(200);
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

    @BothProtocols
    void slowBodyIsReadAsItArrives(Protocol protocol) throws Exception {
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", String.valueOf(m.getRequestBody().length()).getBytes(StandardCharsets.US_ASCII));
            m.setStatus(200);
        });
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(Request.of("POST", "/"));
            for (int i = 0; i < 20; i++) {
                // the client's pace, not a wait for the server
                Thread.sleep(10);
                c.sendBody(new byte[1000]);
            }
            assertThat(c.endBody().read().bodyText()).isEqualTo("20000");
        }
    }

    @BothProtocols
    void everyMessageEventFiresInTheDocumentedOrder(Protocol protocol) throws Exception {
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
        Request request = Request.of("POST", "/").header("Content-Length", "4").header("Expect", "100-continue");
        if (protocol == Protocol.HTTP_1_1) {
            // Disconnected fires when the connection ends; over HTTP/2 when the message's stream ends
            request = request.header("Connection", "close");
        }
        try (ProtocolClient c = protocol.connect(base)) {
            c.sendHead(request);
            assertThat(c.awaitContinue()).isEqualTo(100);
            assertThat(c.sendBody("body").endBody().read().bodyText()).isEqualTo("abcde");
        }
        assertThat(disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("GotHeaders", "WroteInformational", "GotChunk 4", "GotBody", "WroteHeaders",
                "WroteBodyData 2", "WroteChunk", "WroteBodyData 3", "WroteChunk", "WroteBody", "Finished", "Disconnected");
    }
}
