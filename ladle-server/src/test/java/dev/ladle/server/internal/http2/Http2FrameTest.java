package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.H2TestClient.ACK;
import static dev.ladle.server.internal.http2.H2TestClient.DATA;
import static dev.ladle.server.internal.http2.H2TestClient.END_HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.END_STREAM;
import static dev.ladle.server.internal.http2.H2TestClient.GOAWAY;
import static dev.ladle.server.internal.http2.H2TestClient.HEADERS;
import static dev.ladle.server.internal.http2.H2TestClient.PADDED;
import static dev.ladle.server.internal.http2.H2TestClient.PING;
import static dev.ladle.server.internal.http2.H2TestClient.PRIORITY;
import static dev.ladle.server.internal.http2.H2TestClient.PRIORITY_FLAG;
import static dev.ladle.server.internal.http2.H2TestClient.PUSH_PROMISE;
import static dev.ladle.server.internal.http2.H2TestClient.RST_STREAM;
import static dev.ladle.server.internal.http2.H2TestClient.SETTINGS;
import static dev.ladle.server.internal.http2.H2TestClient.WINDOW_UPDATE;
import static dev.ladle.server.internal.http2.H2TestClient.concat;
import static dev.ladle.server.internal.http2.H2TestClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.internal.http2.H2TestClient.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each frame type is parsed, checked and answered as RFC 9113 §4 and §6 say. */
class Http2FrameTest {
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
    void serverPrefaceAdvertisesLimitsAndGrowsTheConnectionWindow() throws Exception {
        try (H2TestClient c = new H2TestClient(server.port())) {
            c.sendRaw(FrameReader.PREFACE);
            Frame settings = c.next();
            assertThat(settings.type()).isEqualTo(SETTINGS);
            ByteBuffer b = ByteBuffer.wrap(settings.payload());
            java.util.Map<Integer, Integer> values = new java.util.HashMap<>();
            while (b.hasRemaining()) {
                values.put((int) b.getShort(), b.getInt());
            }
            assertThat(values).containsEntry(3, 100).containsEntry(4, 1 << 20).containsEntry(6, 64 << 10)
                    .containsEntry(8, 1);
            Frame update = c.next();
            assertThat(update.type()).isEqualTo(WINDOW_UPDATE);
            assertThat(update.streamId()).isZero();
            assertThat(update.int32(0)).isEqualTo((16 << 20) - 65535);
        }
    }

    @Test
    void invalidPrefaceGetsGoAwayProtocolError() throws Exception {
        try (H2TestClient c = new H2TestClient(server.port())) {
            c.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
            assertThat(c.awaitClosed(5000)).isTrue();
        }
    }

    @Test
    void getIsAnsweredWithHeadersAndData() throws Exception {
        client.get(1, "/");
        H2TestClient.Response r = client.response(1);
        assertThat(r.status()).isEqualTo("200");
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        assertThat(r.header("content-length")).isEqualTo("2");
        assertThat(r.text()).isEqualTo("ok");
    }

    @Test
    void paddedDataIsDeliveredWithoutPadding() throws Exception {
        client.headers(1, false, request("POST", "/echo"));
        byte[] payload = concat(new byte[] {4}, "abc".getBytes(StandardCharsets.US_ASCII), new byte[4]);
        client.send(DATA, PADDED | END_STREAM, 1, payload);
        assertThat(client.response(1).text()).isEqualTo("abc");
    }

    @Test
    void dataPaddingAsLongAsThePayloadIsConnectionProtocolError() throws Exception {
        client.headers(1, false, request("POST", "/echo"));
        client.send(DATA, PADDED | END_STREAM, 1, new byte[] {3, 0, 0});
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void paddedHeadersWithPriorityAreServed() throws Exception {
        byte[] block = H2TestClient.block(request("GET", "/"));
        byte[] payload = concat(new byte[] {2}, new byte[] {0, 0, 0, 0, 15}, block, new byte[2]);
        client.send(HEADERS, END_HEADERS | END_STREAM | PADDED | PRIORITY_FLAG, 1, payload);
        assertThat(client.response(1).text()).isEqualTo("ok");
    }

    @Test
    void headersDependingOnThemselvesAreStreamProtocolError() throws Exception {
        byte[] payload = concat(new byte[] {0, 0, 0, 1, 15}, H2TestClient.block(request("GET", "/")));
        client.send(HEADERS, END_HEADERS | END_STREAM | PRIORITY_FLAG, 1, payload);
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void priorityFrameIsIgnored() throws Exception {
        client.send(PRIORITY, 0, 3, new byte[] {0, 0, 0, 0, 10});
        client.get(1, "/");
        assertThat(client.response(1).status()).isEqualTo("200");
    }

    @Test
    void priorityOfWrongLengthIsStreamFrameSizeError() throws Exception {
        client.send(PRIORITY, 0, 1, new byte[4]);
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void priorityOnItselfIsStreamProtocolError() throws Exception {
        client.send(PRIORITY, 0, 1, new byte[] {0, 0, 0, 1, 10});
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void priorityOnStreamZeroIsConnectionProtocolError() throws Exception {
        client.send(PRIORITY, 0, 0, new byte[] {0, 0, 0, 1, 10});
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void rstStreamOfWrongLengthIsConnectionFrameSizeError() throws Exception {
        client.headers(1, false, request("POST", "/block"));
        client.send(RST_STREAM, 0, 1, new byte[3]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void settingsAreAcknowledged() throws Exception {
        client.settings(1, 8192, 4, 100_000);
        assertThat(client.nextSignificant().type()).isEqualTo(SETTINGS);
    }

    @Test
    void settingsAckWithPayloadIsConnectionFrameSizeError() throws Exception {
        client.send(SETTINGS, ACK, 0, new byte[6]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void settingsOfPartialEntryIsConnectionFrameSizeError() throws Exception {
        client.send(SETTINGS, 0, 0, new byte[5]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void enablePushOtherThanZeroOrOneIsConnectionProtocolError() throws Exception {
        client.settings(2, 2);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void initialWindowSizeAboveMaximumIsConnectionFlowControlError() throws Exception {
        client.settings(4, 0x8000_0000);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code());
    }

    @Test
    void maxFrameSizeBelowInitialValueIsConnectionProtocolError() throws Exception {
        client.settings(5, 16383);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void maxFrameSizeAboveLimitIsConnectionProtocolError() throws Exception {
        client.settings(5, 1 << 24);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void unknownSettingIsIgnored() throws Exception {
        client.settings(0x99, 7);
        assertThat(client.nextSignificant().type()).isEqualTo(SETTINGS);
    }

    @Test
    void settingsOnStreamIsConnectionProtocolError() throws Exception {
        client.send(SETTINGS, 0, 1, new byte[0]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void pingIsAnsweredWithAckAndSamePayload() throws Exception {
        client.ping(0x0102030405060708L);
        Frame f = client.nextSignificant();
        assertThat(f.type()).isEqualTo(PING);
        assertThat(f.has(ACK)).isTrue();
        assertThat(ByteBuffer.wrap(f.payload()).getLong()).isEqualTo(0x0102030405060708L);
    }

    @Test
    void pingAckIsNotAnswered() throws Exception {
        client.send(PING, ACK, 0, new byte[8]);
        client.ping(2);
        Frame f = client.nextSignificant();
        assertThat(ByteBuffer.wrap(f.payload()).getLong()).isEqualTo(2);
    }

    @Test
    void pingOfWrongLengthIsConnectionFrameSizeError() throws Exception {
        client.send(PING, 0, 0, new byte[7]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void pingOnStreamIsConnectionProtocolError() throws Exception {
        client.send(PING, 0, 1, new byte[8]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void goAwayOnStreamIsConnectionProtocolError() throws Exception {
        client.send(GOAWAY, 0, 1, new byte[8]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void goAwayFromClientLetsStreamsInFlightFinish() throws Exception {
        client.get(1, "/stream/100");
        client.send(GOAWAY, 0, 0, new byte[8]);
        assertThat(client.response(1).body()).hasSize(100);
    }

    @Test
    void pushPromiseFromClientIsConnectionProtocolError() throws Exception {
        client.send(PUSH_PROMISE, END_HEADERS, 1, new byte[4]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void windowUpdateOfZeroOnConnectionIsConnectionProtocolError() throws Exception {
        client.windowUpdate(0, 0);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void windowUpdateOfWrongLengthIsConnectionFrameSizeError() throws Exception {
        client.send(WINDOW_UPDATE, 0, 0, new byte[3]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void connectionWindowOverflowIsConnectionFlowControlError() throws Exception {
        client.windowUpdate(0, Integer.MAX_VALUE);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code());
    }

    @Test
    void streamWindowOverflowIsStreamFlowControlError() throws Exception {
        client.headers(1, false, request("POST", "/block"));
        client.windowUpdate(1, Integer.MAX_VALUE);
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR.code());
    }

    @Test
    void unknownFrameTypeIsIgnored() throws Exception {
        client.send(0x42, 0xff, 0, new byte[10]);
        client.ping(9);
        assertThat(client.nextSignificant().type()).isEqualTo(PING);
    }

    @Test
    void frameLargerThanMaxFrameSizeIsConnectionFrameSizeError() throws Exception {
        client.headers(1, false, request("POST", "/echo"));
        client.data(1, false, new byte[16385]);
        assertThat(client.expectGoAway()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code());
    }

    @Test
    void frameOfMaxFrameSizeIsAccepted() throws Exception {
        client.headers(1, false, request("POST", "/echo"));
        client.data(1, true, new byte[16384]);
        assertThat(client.response(1).body()).hasSize(16384);
    }
}
