package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.H2TestClient.CONTINUATION;
import static dev.ladle.server.internal.http2.H2TestClient.END_HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Frames on streams in each state of RFC 9113 §5.1 get the error the RFC names. */
class Http2StreamStateTest {
    private Http2TestServer server;
    private H2TestClient client;

    @BeforeEach
    void start() throws Exception {
        server = new Http2TestServer();
        client = H2TestClient.connect(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void dataOnIdleStreamIsConnectionProtocolError() throws Exception {
        client.data(1, true, "x");
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void rstStreamOnIdleStreamIsConnectionProtocolError() throws Exception {
        client.rstStream(1, ErrorCode.CANCEL.code());
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void windowUpdateOnIdleStreamIsConnectionProtocolError() throws Exception {
        client.windowUpdate(1, 100);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void dataOnHalfClosedRemoteStreamIsStreamClosed() throws Exception {
        // a handler that stays unanswered: the stream is half-closed (remote), not closed, when the DATA comes
        client.headers(1, true, request("GET", "/hold"));
        client.data(1, true, "x");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.STREAM_CLOSED.code());
    }

    @Test
    void dataAfterPeerResetIsStreamClosed() throws Exception {
        client.headers(1, false, request("POST", "/block"));
        client.rstStream(1, ErrorCode.CANCEL.code());
        client.data(1, true, "x");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.STREAM_CLOSED.code());
    }

    @Test
    void headersAfterPeerResetIsStreamClosed() throws Exception {
        client.headers(1, false, request("POST", "/block"));
        client.rstStream(1, ErrorCode.CANCEL.code());
        client.headers(1, true, "x-trailer", "1");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.STREAM_CLOSED.code());
    }

    @Test
    void headersOnStreamClosedByBothEndStreamsIsConnectionStreamClosed() throws Exception {
        client.get(1, "/");
        assertThat(client.response(1).status()).isEqualTo("200");
        client.get(1, "/");
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.STREAM_CLOSED.code());
    }

    @Test
    void dataOnStreamClosedByBothEndStreamsIsStreamClosed() throws Exception {
        client.get(1, "/");
        client.response(1);
        client.data(1, true, "x");
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.STREAM_CLOSED.code());
    }

    @Test
    void evenStreamIdIsConnectionProtocolError() throws Exception {
        client.get(2, "/");
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void decreasingStreamIdIsConnectionProtocolError() throws Exception {
        client.get(5, "/");
        client.response(5);
        client.get(3, "/");
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void zeroWindowUpdateOnOpenStreamIsStreamProtocolError() throws Exception {
        client.headers(1, false, request("POST", "/"));
        client.windowUpdate(1, 0);
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void continuationWithoutHeadersIsConnectionProtocolError() throws Exception {
        client.send(CONTINUATION, END_HEADERS, 1, H2TestClient.block("a", "b"));
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void frameOtherThanContinuationInsideHeaderBlockIsConnectionProtocolError() throws Exception {
        client.send(HEADERS, 0, 1, H2TestClient.block(request("GET", "/")));
        client.ping(1);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void unknownFrameInsideHeaderBlockIsConnectionProtocolError() throws Exception {
        client.send(HEADERS, 0, 1, H2TestClient.block(request("GET", "/")));
        client.send(0x42, 0, 1, new byte[3]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void continuationOnAnotherStreamIsConnectionProtocolError() throws Exception {
        client.send(HEADERS, 0, 1, H2TestClient.block(request("GET", "/")));
        client.send(CONTINUATION, END_HEADERS, 3, new byte[0]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void headerBlockSplitOverContinuationsIsServed() throws Exception {
        byte[] block = H2TestClient.block(request("GET", "/"));
        client.send(HEADERS, H2TestClient.END_STREAM, 1, java.util.Arrays.copyOfRange(block, 0, 10));
        client.send(CONTINUATION, 0, 1, java.util.Arrays.copyOfRange(block, 10, 20));
        client.send(CONTINUATION, END_HEADERS, 1, java.util.Arrays.copyOfRange(block, 20, block.length));
        assertThat(client.response(1).text()).isEqualTo("ok");
    }
}
