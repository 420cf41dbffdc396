package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.fuzz.TrickleInput;
import dev.ladle.websocket.internal.ClosePayload;
import dev.ladle.websocket.internal.ExtensionHeader;
import dev.ladle.websocket.internal.FrameHeader;
import dev.ladle.websocket.internal.FrameReader;
import dev.ladle.websocket.internal.FrameWriter;
import dev.ladle.websocket.internal.MessageDeflater;
import dev.ladle.websocket.internal.MessageInflater;
import dev.ladle.websocket.internal.Opcode;
import dev.ladle.websocket.internal.Utf8Validator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the WebSocket side: a server connection reading a client's frames (frame reader, protocol
 * checks, fragment assembly, UTF-8 check, permessage-deflate inflater, close handshake), the UTF-8
 * validator, the inflater alone, the extension-header parser, and frame writing and reading. Seeds:
 * the frames Chromium (with permessage-deflate) and the JDK client sent, and their payloads.
 *
 * <p>Invariants: nothing but {@link WebSocketException} or an end-of-stream {@link IOException} is
 * reported; messages delivered stay within the size limit and text is valid UTF-8; every frame the
 * server writes back is well formed (unmasked, control frames short, a valid close code) and its echo of
 * each message is the message; round trips (deflate/inflate, format/parse, write/read) give back what
 * went in; nothing hangs.
 */
class WebSocketFuzzTest {
    private static final long MAX_MESSAGE = 128 * 1024;
    private static final URI URI_WS = URI.create("ws://127.0.0.1/fuzz");

    /** The bytes a client sends after the opening handshake, which negotiated permessage-deflate. */
    @FuzzTest
    void serverConnection(byte[] input) throws IOException {
        DeflateExtension deflate = new DeflateExtension();
        Map<String, String> offer = new HashMap<>();
        offer.put("client_max_window_bits", null); // Chromium's offer
        deflate.configure(ConnectionType.SERVER, offer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketConnection conn = new WebSocketConnection(new TrickleInput(input), out, () -> { }, URI_WS,
                ConnectionType.SERVER, null, null, List.of(deflate));
        conn.setMaxIncomingPayloadSize(MAX_MESSAGE);
        List<byte[]> received = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        conn.onMessage((type, data) -> {
            assertThat((long) data.length).isLessThanOrEqualTo(MAX_MESSAGE);
            if (type == DataType.TEXT) {
                assertThat(Utf8Validator.isValid(data, 0, data.length)).isTrue();
            }
            received.add(data);
            conn.sendMessage(type, data);
        });
        conn.onError(errors::add);
        conn.run();
        for (Throwable error : errors) {
            if (!(error instanceof WebSocketException) && !(error instanceof EOFException)) {
                throw new AssertionError("unexpected error reported", error);
            }
        }
        assertThat(conn.getState()).isEqualTo(WebSocketState.CLOSED);
        assertThat(readAnswer(out.toByteArray(), deflate.getResponseParams()).stream().map(ByteBuffer::wrap).toList())
                .as("the echo of each message").isEqualTo(received.stream().map(ByteBuffer::wrap).toList());
    }

    /** Reads what the server wrote as its client would: returns the data messages, checking each frame. */
    private static List<byte[]> readAnswer(byte[] written, Map<String, String> responseParams) throws IOException {
        DeflateExtension client = new DeflateExtension();
        client.configure(ConnectionType.CLIENT, responseParams);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(written));
        List<byte[]> messages = new ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int reservedBits = 0;
        boolean closed = false;
        for (FrameHeader h = reader.readHeader(); h != null; h = reader.readHeader()) {
            assertThat(h.masked()).isFalse();
            assertThat(h.minimalLength()).isTrue();
            assertThat(closed).as("a frame after the close frame").isFalse();
            byte[] payload = new byte[(int) h.length()];
            reader.readPayload(h, payload, 0);
            if (Opcode.isControl(h.opcode())) {
                assertThat(h.fin()).isTrue();
                assertThat(payload.length).isLessThanOrEqualTo(125);
                if (h.opcode() == Opcode.CLOSE) {
                    ClosePayload.parse(payload); // a valid code and UTF-8 reason, or it throws
                    closed = true;
                }
                continue;
            }
            if (h.opcode() != Opcode.CONTINUATION) {
                reservedBits = h.reservedBits();
            }
            message.writeBytes(payload);
            if (h.fin()) {
                byte[] data = message.toByteArray();
                if ((reservedBits & WebSocketExtension.RSV1) != 0) {
                    data = client.processIncomingMessage(DataType.BINARY,
                            new WebSocketExtension.Message(reservedBits, data), 0).payload();
                }
                messages.add(data);
                message.reset();
            }
        }
        client.close();
        return messages;
    }

    @FuzzTest
    void utf8(byte[] input) {
        boolean expected = isUtf8(input);
        assertThat(Utf8Validator.isValid(input, 0, input.length)).isEqualTo(expected);
        // fed in three pieces split anywhere, as fragments arrive
        Utf8Validator validator = new Utf8Validator();
        int a = input.length / 3;
        int b = input.length - input.length / 5;
        boolean ok = validator.feed(input, 0, a) && validator.feed(input, a, b - a) && validator.feed(input, b, input.length - b)
                && validator.isComplete();
        assertThat(ok).isEqualTo(expected);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** One compressed message payload as received (the sync-flush tail removed). */
    @FuzzTest
    void inflate(byte[] input) throws WebSocketException {
        MessageInflater inflater = new MessageInflater(false);
        byte[] plain;
        try {
            plain = inflater.inflate(input, MAX_MESSAGE);
        } catch (WebSocketException e) {
            assertThat(e.getCloseCode()).isIn(CloseCode.PROTOCOL_ERROR, CloseCode.TOO_BIG);
            return;
        } finally {
            inflater.close();
        }
        assertThat((long) plain.length).isLessThanOrEqualTo(MAX_MESSAGE);
        if (plain.length > 0) {
            MessageDeflater deflater = new MessageDeflater(true, 15);
            MessageInflater fresh = new MessageInflater(true);
            try {
                assertThat(fresh.inflate(deflater.compress(plain), MAX_MESSAGE)).isEqualTo(plain);
            } finally {
                deflater.close();
                fresh.close();
            }
        }
    }

    /** A {@code Sec-WebSocket-Extensions} value, then each offer given to permessage-deflate. */
    @FuzzTest
    void extensionHeader(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        List<ExtensionHeader.Element> elements;
        try {
            elements = ExtensionHeader.parse(value);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        for (ExtensionHeader.Element element : elements) {
            String formatted = ExtensionHeader.format(element.name(), element.params());
            List<ExtensionHeader.Element> again = ExtensionHeader.parse(formatted);
            assertThat(again).hasSize(1);
            assertThat(again.get(0).name()).isEqualTo(element.name());
            assertThat(again.get(0).params()).isEqualTo(element.params());
            DeflateExtension deflate = new DeflateExtension();
            try {
                deflate.configure(ConnectionType.SERVER, element.params());
                // the answer a server sends must be one a client takes
                DeflateExtension client = new DeflateExtension();
                client.configure(ConnectionType.CLIENT, deflate.getResponseParams());
                client.close();
            } catch (IllegalArgumentException declined) {
                assertThat(declined.getMessage()).isNotBlank();
            } finally {
                deflate.close();
            }
        }
    }

    /** Any message written as frames (masked or not, fragmented or not) reads back the same. */
    @FuzzTest
    void frameRoundTrip(FuzzedDataProvider data) throws IOException {
        boolean masking = data.consumeBoolean();
        int opcode = data.pickValue(new int[] {Opcode.TEXT, Opcode.BINARY});
        int reservedBits = data.consumeInt(0, 7) << 4;
        int fragmentSize = data.consumeInt(0, 300);
        byte[] payload = data.consumeRemainingAsBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out, masking).writeMessage(opcode, reservedBits, payload, fragmentSize);
        FrameReader reader = new FrameReader(new TrickleInput(out.toByteArray()));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        boolean first = true;
        for (FrameHeader h = reader.readHeader(); h != null; h = reader.readHeader()) {
            assertThat(h.masked()).isEqualTo(masking);
            assertThat(h.minimalLength()).isTrue();
            assertThat(h.opcode()).isEqualTo(first ? opcode : Opcode.CONTINUATION);
            assertThat(h.reservedBits()).isEqualTo(first ? reservedBits : 0);
            byte[] part = new byte[(int) h.length()];
            reader.readPayload(h, part, 0);
            read.writeBytes(part);
            first = false;
        }
        assertThat(read.toByteArray()).isEqualTo(payload);
    }
}
