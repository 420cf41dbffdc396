package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.websocket.internal.ClosePayload;
import dev.ladle.websocket.internal.ExtensionHeader;
import dev.ladle.websocket.internal.FrameHeader;
import dev.ladle.websocket.internal.FrameReader;
import dev.ladle.websocket.internal.MessageAssembler;
import dev.ladle.websocket.internal.HandshakeKeys;
import dev.ladle.websocket.internal.Utf8Validator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces of the codec that need no socket: UTF-8, extension headers, keys, close bodies. */
class WebSocketCodecTest {

    private static byte[] hex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c3a9", "e282ac", "f09f9880", "f48fbfbf", "efbbbf", "00"})
    void validUtf8IsAccepted(String hex) {
        byte[] b = hex(hex);
        assertThat(Utf8Validator.isValid(b, 0, b.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"80", "c0af", "c1bf", "e080af", "eda080", "edbfbf", "f08f8080", "f4908080", "f5", "ff",
        "c3", "e282", "c328"})
    void invalidUtf8IsRejected(String hex) {
        byte[] b = hex(hex);
        assertThat(Utf8Validator.isValid(b, 0, b.length)).isFalse();
    }

    @Test
    void utf8ValidatorFailsOnTheFirstBadByteAcrossFeeds() {
        Utf8Validator v = new Utf8Validator();
        assertThat(v.feed(hex("e2"), 0, 1)).isTrue();
        assertThat(v.isComplete()).isFalse();
        assertThat(v.feed(hex("82ac"), 0, 2)).isTrue();
        assertThat(v.isComplete()).isTrue();
        assertThat(v.feed(hex("eda0"), 0, 2)).isFalse();
    }

    @Test
    void extensionHeaderParsesOffersParametersAndQuotedValues() {
        List<ExtensionHeader.Element> offers = ExtensionHeader.parse(
                "permessage-deflate; client_max_window_bits, , x-foo;a=\"1 2\" ;b=tok");
        assertThat(offers).hasSize(2);
        assertThat(offers.get(0).name()).isEqualTo("permessage-deflate");
        assertThat(offers.get(0).params()).containsKey("client_max_window_bits");
        assertThat(offers.get(0).params().get("client_max_window_bits")).isNull();
        assertThat(offers.get(1).params()).containsEntry("a", "1 2").containsEntry("b", "tok");
    }

    @Test
    void extensionHeaderMarksRepeatedParameters() {
        assertThat(ExtensionHeader.parse("permessage-deflate; server_no_context_takeover; SERVER_NO_CONTEXT_TAKEOVER")
                .get(0).repeatedParam()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"; x", "a b", "a; =1", "a; b=\"open", "a;; b", "a, b c"})
    void malformedExtensionHeaderIsRejected(String header) {
        assertThatThrownBy(() -> ExtensionHeader.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extensionHeaderFormatsValuelessAndQuotedParameters() {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("flag", null);
        params.put("n", "10");
        params.put("q", "a b");
        assertThat(ExtensionHeader.format("ext", params)).isEqualTo("ext; flag; n=10; q=\"a b\"");
    }

    @Test
    void unmaskingMatchesRfc6455Example() {
        // RFC 6455 section 5.7: "Hello" masked with 37 fa 21 3d
        byte[] frame = hex("8185" + "37fa213d" + "7f9f4d5158");
        FrameReader.unmask(frame, 6, 5, 0x37fa213d);
        assertThat(new String(frame, 6, 5, StandardCharsets.US_ASCII)).isEqualTo("Hello");
    }

    @Test
    void unmaskingAgreesWithTheByteWiseDefinitionAtEveryOffsetAndLength() {
        // the fast path works a long at a time in the platform's byte order; the key's first byte must
        // still meet the payload's first byte, wherever the payload starts and however long it is
        int key = 0xA1B2C3D4;
        byte[] keyBytes = {(byte) 0xA1, (byte) 0xB2, (byte) 0xC3, (byte) 0xD4};
        java.util.Random random = new java.util.Random(42);
        for (int offset = 0; offset < 9; offset++) {
            for (int length = 0; length < 70; length++) {
                byte[] data = new byte[offset + length + 3];
                random.nextBytes(data);
                byte[] expected = data.clone();
                for (int i = 0; i < length; i++) {
                    expected[offset + i] ^= keyBytes[i % 4];
                }
                FrameReader.unmask(data, offset, length, key);
                assertThat(data).as("offset %d length %d", offset, length).isEqualTo(expected);
            }
        }
    }

    @Test
    void payloadMemoryFollowsTheBytesThatArriveNotTheDeclaredLength() throws Exception {
        // a masked binary frame that declares 64 MiB and delivers 10 bytes, then the peer goes quiet
        byte[] prefix = new byte[2 + 8 + 4 + 10];
        prefix[0] = (byte) 0x82;
        prefix[1] = (byte) (0x80 | 127);
        long declared = 64L * 1024 * 1024;
        for (int i = 0; i < 8; i++) {
            prefix[2 + i] = (byte) (declared >>> (56 - 8 * i));
        }
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.io.InputStream peer = new java.io.InputStream() {
            private int sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (sent < prefix.length) {
                    int n = Math.min(len, prefix.length - sent);
                    System.arraycopy(prefix, sent, b, off, n);
                    sent += n;
                    return n;
                }
                waiting.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new java.io.EOFException("peer went away");
            }
        };
        FrameReader reader = new FrameReader(peer);
        MessageAssembler assembler = new MessageAssembler();
        FrameHeader header = reader.readHeader();
        assertThat(header.length()).isEqualTo(declared);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                assembler.read(header, reader);
            } catch (java.io.IOException e) {
                // expected once released
            }
        });
        assertThat(waiting.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(assembler.capacity()).isPositive().isLessThanOrEqualTo(64 * 1024);
        release.countDown();
        t.join(10_000);
    }

    @Test
    void largeFramesReadInPartsAreUnmaskedAndDeliveredExactly() throws Exception {
        // parts of 64 KiB meet the mask at every offset: a payload of odd length over several parts
        byte[] payload = new byte[200_003];
        new java.util.Random(7).nextBytes(payload);
        int key = 0x1A2B3C4D;
        byte[] keyBytes = {0x1A, 0x2B, 0x3C, 0x4D};
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(0x82);
        frame.write(0x80 | 127);
        for (int i = 0; i < 8; i++) {
            frame.write((int) ((long) payload.length >>> (56 - 8 * i)));
        }
        frame.write(keyBytes);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ keyBytes[i & 3]);
        }
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(frame.toByteArray()));
        FrameHeader header = reader.readHeader();
        assertThat(header.maskKey()).isEqualTo(key);
        MessageAssembler.Assembled message = new MessageAssembler().read(header, reader);
        assertThat(message.message().payload()).isEqualTo(payload);
    }

    @Test
    void acceptKeyMatchesRfc6455Example() {
        assertThat(HandshakeKeys.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(HandshakeKeys.isValidKey("dGhlIHNhbXBsZSBub25jZQ==")).isTrue();
        assertThat(HandshakeKeys.isValidKey("dGhlIHNhbXBsZSBub25jZQ=")).isFalse();
        assertThat(HandshakeKeys.isValidKey("AAAAAAAAAAAAAAAAAAAAAA==")).isTrue();
        assertThat(HandshakeKeys.isValidKey("dGhlIHNhbXBsZSBub25jZSE=")).isFalse();
        assertThat(HandshakeKeys.isValidKey("!!!!IHNhbXBsZSBub25jZQ==")).isFalse();
    }

    @Test
    void closePayloadRoundTripsCodeAndReason() throws Exception {
        byte[] body = new ClosePayload(4000, "why").encode();
        assertThat(ClosePayload.parse(body)).isEqualTo(new ClosePayload(4000, "why"));
        assertThat(new ClosePayload(CloseCode.NO_STATUS, "x").encode()).isEmpty();
        assertThat(ClosePayload.parse(new byte[0]).code()).isEqualTo(CloseCode.NO_STATUS);
        assertThat("why".getBytes(StandardCharsets.UTF_8)).hasSize(body.length - 2);
    }
}
