package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** permessage-deflate (RFC 7692): negotiation, compression and bounded decompression. */
@Timeout(30)
class DeflateExtensionTest {

    /** Parameters in order; a null value is a parameter without value. */
    private static Map<String, String> params(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    private static Map.Entry<String, String> entry(String name, String value) {
        return new AbstractMap.SimpleEntry<>(name, value);
    }

    private static DeflateExtension server(Map<String, String> offer) {
        DeflateExtension ext = new DeflateExtension();
        ext.configure(ConnectionType.SERVER, offer);
        return ext;
    }

    private static DeflateExtension client(Map<String, String> answer) {
        DeflateExtension ext = new DeflateExtension();
        ext.configure(ConnectionType.CLIENT, answer);
        return ext;
    }

    /** Raw DEFLATE with a sync flush and the trailing 00 00 FF FF removed, as a peer sends it. */
    static byte[] compress(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        d.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    static byte[] inflate(byte[] data) throws Exception {
        Inflater inf = new Inflater(true);
        byte[] input = Arrays.copyOf(data, data.length + 4);
        input[data.length + 2] = (byte) 0xFF;
        input[data.length + 3] = (byte) 0xFF;
        inf.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!inf.needsInput()) {
            int n = inf.inflate(buf);
            out.write(buf, 0, n);
            if (n == 0) {
                break;
            }
        }
        inf.end();
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- negotiation -----------------------------------------------------------------------------

    @Test
    void bareOfferIsAcceptedWithoutParameters() {
        assertThat(server(params()).getResponseParams()).isEmpty();
    }

    @Test
    void contextTakeoverFlagsAndServerWindowAreEchoed() {
        DeflateExtension ext = server(params("server_no_context_takeover", null, "client_no_context_takeover", null,
                "server_max_window_bits", "10", "client_max_window_bits", "12"));
        assertThat(ext.getResponseParams()).containsExactly(entry("server_no_context_takeover", null),
                entry("client_no_context_takeover", null), entry("server_max_window_bits", "10"));
    }

    @Test
    void clientMaxWindowBitsIsNeverAnsweredSinceEveryWindowCanBeRead() {
        assertThat(server(params("client_max_window_bits", null)).getResponseParams()).isEmpty();
        assertThat(server(params("client_max_window_bits", "9")).getResponseParams()).isEmpty();
    }

    @Test
    void answerNeverCarriesAParameterTheClientDidNotOffer() {
        DeflateExtension ext = server(params("server_max_window_bits", "15"));
        assertThat(ext.getResponseParams()).containsOnlyKeys("server_max_window_bits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x_unknown", "server_no_context_takeover=1", "client_no_context_takeover=yes",
        "server_max_window_bits", "server_max_window_bits=7", "server_max_window_bits=16",
        "server_max_window_bits=08", "server_max_window_bits=abc", "client_max_window_bits=16",
        "client_max_window_bits=0"})
    void badParameterDeclinesTheOffer(String param) {
        int eq = param.indexOf('=');
        Map<String, String> offer = eq < 0 ? params(param, null) : params(param.substring(0, eq), param.substring(eq + 1));
        assertThatThrownBy(() -> server(offer)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientRefusesAnAnswerWithAValuelessWindowOrAnUnknownParameter() {
        assertThatThrownBy(() -> client(params("client_max_window_bits", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client(params("foo", null))).isInstanceOf(IllegalArgumentException.class);
        assertThat(client(params("server_no_context_takeover", null, "client_max_window_bits", "10"))).isNotNull();
    }

    @Test
    void clientOffersThatItCanLimitItsWindow() {
        assertThat(new DeflateExtension().getRequestParams()).containsExactly(entry("client_max_window_bits", null));
    }

    // ---- compression -----------------------------------------------------------------------------

    @Test
    void outgoingMessageIsCompressedWithRsv1AndInflatesBack() throws Exception {
        DeflateExtension ext = server(params());
        byte[] data = text("hello hello hello hello hello hello");
        WebSocketExtension.Message out = ext.processOutgoingMessage(DataType.TEXT, new WebSocketExtension.Message(0, data));
        assertThat(out.reservedBits()).isEqualTo(WebSocketExtension.RSV1);
        assertThat(out.payload().length).isLessThan(data.length);
        assertThat(inflate(out.payload())).isEqualTo(data);
    }

    @Test
    void emptyMessageIsSentUncompressed() throws Exception {
        WebSocketExtension.Message out = server(params()).processOutgoingMessage(DataType.BINARY,
                new WebSocketExtension.Message(0, new byte[0]));
        assertThat(out.reservedBits()).isZero();
    }

    @Test
    void contextTakeoverMakesARepeatedMessageSmaller() throws Exception {
        DeflateExtension ext = server(params());
        byte[] data = text("the quick brown fox jumps over the lazy dog, twice over");
        byte[] first = ext.processOutgoingMessage(DataType.TEXT, new WebSocketExtension.Message(0, data)).payload();
        byte[] second = ext.processOutgoingMessage(DataType.TEXT, new WebSocketExtension.Message(0, data)).payload();
        assertThat(second.length).isLessThan(first.length);
    }

    @Test
    void serverNoContextTakeoverCompressesEachMessageAfresh() throws Exception {
        DeflateExtension ext = server(params("server_no_context_takeover", null));
        byte[] data = text("the quick brown fox jumps over the lazy dog, twice over");
        byte[] first = ext.processOutgoingMessage(DataType.TEXT, new WebSocketExtension.Message(0, data)).payload();
        byte[] second = ext.processOutgoingMessage(DataType.TEXT, new WebSocketExtension.Message(0, data)).payload();
        assertThat(second).isEqualTo(first);
        assertThat(inflate(second)).isEqualTo(data);
    }

    @Test
    void smallServerWindowOnlyCompressesMessagesThatFitIt() throws Exception {
        DeflateExtension ext = server(params("server_max_window_bits", "9"));
        byte[] fits = new byte[512];
        byte[] tooLong = new byte[513];
        assertThat(ext.processOutgoingMessage(DataType.BINARY, new WebSocketExtension.Message(0, fits)).reservedBits())
                .isEqualTo(WebSocketExtension.RSV1);
        WebSocketExtension.Message plain = ext.processOutgoingMessage(DataType.BINARY, new WebSocketExtension.Message(0, tooLong));
        assertThat(plain.reservedBits()).isZero();
        assertThat(plain.payload()).isSameAs(tooLong);
    }

    @Test
    void incomingCompressedMessagesInflateAcrossContextTakeover() throws Exception {
        DeflateExtension serverSide = server(params());
        DeflateExtension clientSide = client(params());
        for (String s : new String[] {"alpha beta gamma", "alpha beta gamma", "delta"}) {
            WebSocketExtension.Message sent = clientSide.processOutgoingMessage(DataType.TEXT, new WebSocketExtension.Message(0, text(s)));
            WebSocketExtension.Message got = serverSide.processIncomingMessage(DataType.TEXT, sent, 0);
            assertThat(got.reservedBits()).isZero();
            assertThat(new String(got.payload(), StandardCharsets.UTF_8)).isEqualTo(s);
        }
    }

    @Test
    void messageWithoutRsv1PassesThroughUnchanged() throws Exception {
        byte[] data = text("plain");
        WebSocketExtension.Message got = server(params()).processIncomingMessage(DataType.TEXT,
                new WebSocketExtension.Message(0, data), 0);
        assertThat(got.payload()).isSameAs(data);
    }

    @Test
    void zipBombStopsAtTheLimit() {
        byte[] bomb = compress(new byte[20 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> server(params()).processIncomingMessage(DataType.BINARY,
                new WebSocketExtension.Message(WebSocketExtension.RSV1, bomb), 128 * 1024))
                .isInstanceOfSatisfying(WebSocketException.class,
                        e -> assertThat(e.getCloseCode()).isEqualTo(CloseCode.TOO_BIG));
    }

    @Test
    void messageInflatingToExactlyTheLimitIsAccepted() throws Exception {
        byte[] data = compress(new byte[1000]);
        WebSocketExtension.Message got = server(params()).processIncomingMessage(DataType.BINARY,
                new WebSocketExtension.Message(WebSocketExtension.RSV1, data), 1000);
        assertThat(got.payload()).hasSize(1000);
    }

    @Test
    void invalidCompressedDataIsAProtocolError() {
        byte[] junk = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34};
        assertThatThrownBy(() -> server(params()).processIncomingMessage(DataType.BINARY,
                new WebSocketExtension.Message(WebSocketExtension.RSV1, junk), 0))
                .isInstanceOfSatisfying(WebSocketException.class,
                        e -> assertThat(e.getCloseCode()).isEqualTo(CloseCode.PROTOCOL_ERROR));
    }

    // ---- on a connection -------------------------------------------------------------------------

    @Test
    void connectionInflatesACompressedTextMessage() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            pair.peer.send(true, 0x40, 0x1, compress(text("squeezed text")));
            assertThat(pair.recorder.message().text()).isEqualTo("squeezed text");
        }
    }

    @Test
    void connectionInflatesAFragmentedCompressedMessage() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            byte[] c = compress(text("fragmented and squeezed"));
            int half = c.length / 2;
            pair.peer.send(false, 0x40, 0x1, Arrays.copyOfRange(c, 0, half));
            pair.peer.send(true, 0, 0x0, Arrays.copyOfRange(c, half, c.length));
            assertThat(pair.recorder.message().text()).isEqualTo("fragmented and squeezed");
        }
    }

    @Test
    void connectionSendsCompressedFrames() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            pair.conn.sendText("compress me compress me compress me");
            RawPeer.Frame f = pair.peer.read();
            assertThat(f.rsv()).isEqualTo(0x40);
            assertThat(new String(inflate(f.payload()), StandardCharsets.UTF_8)).isEqualTo("compress me compress me compress me");
        }
    }

    @Test
    void rsv1OnAContinuationFrameIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            pair.peer.send(false, 0, 0x2, new byte[] {1});
            pair.peer.send(true, 0x40, 0x0, new byte[] {2});
            assertThat(pair.peer.readClose().closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void rsv2IsAProtocolErrorEvenWithDeflate() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            pair.peer.send(true, 0x20, 0x2, new byte[] {1});
            assertThat(pair.peer.readClose().closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void zipBombOverTheWireClosesWithTooBig() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            pair.peer.send(true, 0x40, 0x2, compress(new byte[8 * 1024 * 1024]));
            assertThat(pair.peer.readClose().closeCode()).isEqualTo(CloseCode.TOO_BIG);
            assertThat(pair.recorder.messages).isEmpty();
        }
    }

    @Test
    void compressedTextThatIsNotUtf8IsBadData() throws Exception {
        try (SocketPair pair = SocketPair.server(server(params())).start()) {
            pair.peer.send(true, 0x40, 0x1, compress(new byte[] {'a', (byte) 0xC0, (byte) 0x80}));
            assertThat(pair.peer.readClose().closeCode()).isEqualTo(CloseCode.BAD_DATA);
        }
    }

    @Test
    void clientAndServerConnectionsTalkCompressed() throws Exception {
        // A Ladle client connection against the raw peer playing server: the client's frames are masked and compressed.
        try (SocketPair pair = SocketPair.client(client(params("server_no_context_takeover", null))).start()) {
            pair.conn.sendText("from the client, from the client");
            RawPeer.Frame f = pair.peer.read();
            assertThat(f.masked()).isTrue();
            assertThat(f.rsv()).isEqualTo(0x40);
            assertThat(new String(inflate(f.payload()), StandardCharsets.UTF_8)).isEqualTo("from the client, from the client");
        }
    }
}
