package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.H2TestClient.DATA;
import static dev.ladle.server.internal.http2.H2TestClient.END_STREAM;
import static dev.ladle.server.internal.http2.H2TestClient.GOAWAY;
import static dev.ladle.server.internal.http2.H2TestClient.HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.PING;
import static dev.ladle.server.internal.http2.H2TestClient.RST_STREAM;
import static dev.ladle.server.internal.http2.H2TestClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.MessageHeaders;
import dev.ladle.server.internal.http2.H2TestClient.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How streams end: handler outcomes, resets, graceful and abrupt connection ends, response shapes. */
class Http2StreamLifecycleTest {

    @Test
    void handlerReturningWithoutResponseResetsWithInternalError() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/nothing");
            assertThat(c.expectReset(1)).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
        }
    }

    @Test
    void handlerThrowingResetsWithInternalErrorAndSendsNoPage() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/fail");
            Frame f = c.nextSignificant();
            assertThat(f.type()).isEqualTo(RST_STREAM);
            assertThat(f.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
            c.get(3, "/");
            assertThat(c.response(3).status()).isEqualTo("200");
        }
    }

    @Test
    void bodyArrivingAfterTheAnswerIsReadAwayAndTheStreamEndsWithoutAReset() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> Http2TestServer.ok(stream, "early"));
                H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            assertThat(c.response(1).text()).isEqualTo("early");
            c.data(1, false, new byte[1000]);
            c.data(1, true, new byte[1000]);
            c.get(3, "/");
            // no RST_STREAM for stream 1 comes before stream 3's answer: the late body was simply read away
            H2TestClient.Frame f;
            while ((f = c.nextSignificant()).streamId() != 3) {
                assertThat(f.type()).as("frame on stream " + f.streamId()).isNotEqualTo(H2TestClient.RST_STREAM);
            }
        }
    }

    @Test
    void bodyArrivingAfterTheAnswerBeyondTheDrainBudgetIsResetWithNoError() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> Http2TestServer.ok(stream, "early"));
                H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            assertThat(c.response(1).text()).isEqualTo("early");
            for (int i = 0; i < 5; i++) {
                c.data(1, false, new byte[16_000]);
            }
            assertThat(c.expectReset(1)).isEqualTo(ErrorCode.NO_ERROR.code());
            c.get(3, "/");
            assertThat(c.response(3).text()).isEqualTo("early");
        }
    }

    @Test
    void malformedTrailersAfterTheAnswerAreStillAStreamError() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> Http2TestServer.ok(stream, "early"));
                H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            assertThat(c.response(1).text()).isEqualTo("early");
            c.data(1, false, new byte[10]);
            // trailers without END_STREAM (RFC 9113 section 8.1)
            c.headers(1, false, "x-test", "ok");
            assertThat(c.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
        }
    }

    @Test
    void peerResetMakesReadFailAndRunsResetListeners() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/block"));
            assertThat(s.blockStarted.await(5, TimeUnit.SECONDS)).isTrue();
            c.rstStream(1, ErrorCode.CANCEL.code());
            assertThat(s.blockReset.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void writeAfterPeerResetThrowsStreamResetException() throws Exception {
        CountDownLatch reset = new CountDownLatch(1);
        CountDownLatch threw = new CountDownLatch(1);
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            stream.onReset(reset::countDown);
            stream.writeHeaders(200, new MessageHeaders(), -1, false);
            stream.flush();
            reset.await();
            try {
                stream.writeData(new byte[10], 0, 10, true);
            } catch (StreamResetException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.CANCEL);
                assertThat(stream.isReset()).isTrue();
                threw.countDown();
            }
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/");
            assertThat(c.nextSignificant().type()).isEqualTo(HEADERS);
            c.rstStream(1, ErrorCode.CANCEL.code());
            assertThat(threw.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void informationalResponsesPrecedeTheFinalOne() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            stream.writeHeaders(103, new MessageHeaders(), -1, false);
            Http2TestServer.ok(stream, "final");
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/");
            Frame first = c.nextSignificant();
            assertThat(c.decode(first.payload())).containsExactly(":status", "103");
            assertThat(first.has(END_STREAM)).isFalse();
            H2TestClient.Response r = c.response(1);
            assertThat(r.status()).isEqualTo("200");
            assertThat(r.text()).isEqualTo("final");
        }
    }

    @Test
    void responseHeadersAreLowercasedAndConnectionFieldsDropped() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            MessageHeaders h = new MessageHeaders();
            h.append("X-Custom", "A");
            h.append("Connection", "close");
            h.append("Transfer-Encoding", "chunked");
            h.append("Content-Length", "99");
            stream.writeHeaders(200, h, 0, true);
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/");
            assertThat(c.response(1).headers()).containsExactly(":status", "200", "x-custom", "A",
                    "content-length", "0");
        }
    }

    @Test
    void responseTrailersEndTheStream() throws Exception {
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            stream.writeHeaders(200, new MessageHeaders(), -1, false);
            stream.writeData(new byte[] {'x'}, 0, 1, false);
            MessageHeaders t = new MessageHeaders();
            t.append("Grpc-Status", "0");
            stream.writeTrailers(t);
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.get(1, "/");
            H2TestClient.Response r = c.response(1);
            assertThat(r.text()).isEqualTo("x");
            assertThat(r.trailers()).containsExactly("grpc-status", "0");
        }
    }

    @Test
    void echoReturnsALargeRequestBody() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = new H2TestClient(s.port())) {
            c.handshake(4, 1 << 20);
            c.windowUpdate(0, 1 << 20);
            byte[] body = new byte[300_000];
            new java.util.Random(1).nextBytes(body);
            c.headers(1, false, request("POST", "/echo", "content-length", Integer.toString(body.length)));
            for (int off = 0; off < body.length; off += 16384) {
                int n = Math.min(16384, body.length - off);
                c.data(1, off + n == body.length, java.util.Arrays.copyOfRange(body, off, off + n));
            }
            assertThat(c.response(1).body()).isEqualTo(body);
        }
    }

    @Test
    void goAwayLetsStreamsInFlightFinishIgnoresNewOnesThenCloses() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/echo"));
            c.ping(1);
            assertThat(c.nextSignificant().type()).isEqualTo(PING); // stream 1 was processed
            s.connection().goAway();
            Frame goAway = c.nextSignificant();
            assertThat(goAway.type()).isEqualTo(GOAWAY);
            assertThat(goAway.int32(0)).isEqualTo(1);
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.NO_ERROR.code());
            c.get(3, "/");
            c.data(1, true, "bye");
            H2TestClient.Response r = c.response(1);
            assertThat(r.text()).isEqualTo("bye");
            assertThat(s.started.get()).isEqualTo(1);
            assertThat(c.awaitClosed(5000)).isTrue();
        }
    }

    @Test
    void abortEndsStreamsInFlight() throws Exception {
        try (Http2TestServer s = new Http2TestServer(); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/block"));
            assertThat(s.blockStarted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(s.connection().openStreams()).isEqualTo(1);
            s.connection().abort();
            assertThat(s.blockReset.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(s.connectionEnded.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.awaitClosed(5000)).isTrue();
        }
    }

    @Test
    void readTimeoutThrowsSocketTimeoutException() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        try (Http2TestServer s = new Http2TestServer(Http2Config.defaults(), stream -> {
            stream.setReadTimeout(100);
            try {
                stream.read(new byte[10], 0, 10);
            } catch (java.net.SocketTimeoutException e) {
                timedOut.countDown();
                Http2TestServer.ok(stream, "timeout");
            }
        }); H2TestClient c = H2TestClient.connect(s.port())) {
            c.headers(1, false, request("POST", "/"));
            assertThat(timedOut.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.response(1).text()).isEqualTo("timeout");
        }
    }

    @Test
    void headersAndSmallBodyLeaveInOneSocketWrite() throws Exception {
        List<byte[]> writes = new CopyOnWriteArrayList<>();
        CountDownLatch answered = new CountDownLatch(1);
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(toServer, 1 << 16);
        Http2Connection connection = new Http2Connection(Http2Config.defaults(), in, recording, () -> { },
                stream -> {
                    Http2TestServer.ok(stream, "ok");
                    answered.countDown();
                });
        Thread server = Thread.ofVirtual().start(() -> {
            try {
                connection.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        toServer.write(H2TestClient.concat(FrameReader.PREFACE, H2TestClient.frame(4, 0, 0, new byte[0]),
                H2TestClient.frame(HEADERS, H2TestClient.END_HEADERS | END_STREAM, 1,
                        H2TestClient.block(request("GET", "/")))));
        toServer.flush();
        assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();
        connection.abort();
        toServer.close();
        server.join(5000);
        // the write that carries the response's HEADERS also carries its DATA with END_STREAM
        byte[] write = writes.stream().filter(w -> w.length > 9 && w[3] == HEADERS).findFirst().orElseThrow();
        int headersLength = (write[0] & 0xff) << 16 | (write[1] & 0xff) << 8 | (write[2] & 0xff);
        int data = 9 + headersLength;
        assertThat(write.length).isGreaterThanOrEqualTo(data + 9 + 2);
        assertThat(write[data + 3]).isEqualTo((byte) DATA);
        assertThat(write[data + 4] & END_STREAM).isEqualTo(END_STREAM);
        assertThat(new String(write, data + 9, 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ok");
    }
}
