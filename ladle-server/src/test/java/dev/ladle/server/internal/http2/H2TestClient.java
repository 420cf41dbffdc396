package dev.ladle.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw HTTP/2 frame client for the engine tests: sends frames built by hand (field blocks as HPACK
 * literals, so a test can send any name or value, uppercase and invalid ones included) and reads and
 * decodes the server's frames.
 */
final class H2TestClient implements AutoCloseable {
    static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5,
            PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
    static final int END_STREAM = 1, ACK = 1, END_HEADERS = 4, PADDED = 8, PRIORITY_FLAG = 0x20;

    /** One received frame. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        int int32(int offset) {
            return ByteBuffer.wrap(payload, offset, 4).getInt();
        }

        /** The error code of a RST_STREAM or GOAWAY frame. */
        int errorCode() {
            return type == GOAWAY ? int32(4) : int32(0);
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + " flags=" + flags + " stream=" + streamId + " length=" + payload.length + "]";
        }
    }

    /** A response read to its end. */
    record Response(List<String> headers, byte[] body, List<String> trailers) {
        String status() {
            return header(":status");
        }

        String header(String name) {
            for (int i = 0; i < headers.size(); i += 2) {
                if (headers.get(i).equals(name)) {
                    return headers.get(i + 1);
                }
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HpackDecoder decoder = new HpackDecoder(4096);

    H2TestClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Connects, sends the preface and an empty SETTINGS, and reads the server's SETTINGS (ACKing it). */
    static H2TestClient connect(int port) throws IOException {
        H2TestClient c = new H2TestClient(port);
        c.handshake();
        return c;
    }

    void handshake(int... settings) throws IOException {
        sendRaw(FrameReader.PREFACE);
        settings(settings);
        Frame f = next();
        assertThat(f.type()).isEqualTo(SETTINGS);
        send(SETTINGS, ACK, 0, new byte[0]);
        // the connection window grant, then the ACK of our SETTINGS
        while (!(f.type() == SETTINGS && f.has(ACK))) {
            f = next();
        }
    }

    // ---------------------------------------------------------------- sending

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(int type, int flags, int streamId, byte[] payload) throws IOException {
        sendRaw(frame(type, flags, streamId, payload));
    }

    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
        b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        b.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        return b.array();
    }

    void settings(int... idValues) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(idValues.length / 2 * 6);
        for (int i = 0; i < idValues.length; i += 2) {
            b.putShort((short) idValues[i]).putInt(idValues[i + 1]);
        }
        send(SETTINGS, 0, 0, b.array());
    }

    void ping(long data) throws IOException {
        send(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        send(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
    }

    void rstStream(int streamId, int code) throws IOException {
        send(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(code).array());
    }

    void data(int streamId, boolean endStream, byte[] bytes) throws IOException {
        send(DATA, endStream ? END_STREAM : 0, streamId, bytes);
    }

    void data(int streamId, boolean endStream, String text) throws IOException {
        data(streamId, endStream, text.getBytes(StandardCharsets.UTF_8));
    }

    /** HEADERS (END_HEADERS) with the given fields. */
    void headers(int streamId, boolean endStream, String... nameValues) throws IOException {
        send(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block(nameValues));
    }

    /** A GET for {@code path} with END_STREAM. */
    void get(int streamId, String path) throws IOException {
        headers(streamId, true, request("GET", path));
    }

    /** The pseudo-headers of a request, followed by {@code extra} fields. */
    static String[] request(String method, String path, String... extra) {
        List<String> l = new ArrayList<>(List.of(":method", method, ":scheme", "http", ":authority", "localhost",
                ":path", path));
        l.addAll(List.of(extra));
        return l.toArray(new String[0]);
    }

    /** A field block of "literal without indexing, new name" representations (RFC 7541 §6.2.2). */
    static byte[] block(String... nameValues) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.write(0x00);
            string(b, nameValues[i]);
            string(b, nameValues[i + 1]);
        }
        return b.toByteArray();
    }

    /** Literal with incremental indexing, new name (RFC 7541 §6.2.1): enters the dynamic table. */
    static byte[] indexedLiteral(String name, String value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x40);
        string(b, name);
        string(b, value);
        return b.toByteArray();
    }

    static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(b, 0, 7, bytes.length);
        b.writeBytes(bytes);
    }

    static void integer(ByteArrayOutputStream b, int prefixBits, int n, int value) {
        int max = (1 << n) - 1;
        if (value < max) {
            b.write(prefixBits | value);
            return;
        }
        b.write(prefixBits | max);
        value -= max;
        while (value >= 128) {
            b.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        b.write(value);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    // ---------------------------------------------------------------- receiving

    /** The next frame; fails the test on a timeout or close. */
    Frame next() throws IOException {
        Frame f = nextOrNull();
        if (f == null) {
            fail("connection closed while a frame was expected");
        }
        return f;
    }

    /** The next frame, or {@code null} when the server closed the connection. */
    Frame nextOrNull() throws IOException {
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (EOFException | SocketException e) {
            return null;
        }
        int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        int streamId = ByteBuffer.wrap(header, 5, 4).getInt() & 0x7fff_ffff;
        return new Frame(header[3] & 0xff, header[4] & 0xff, streamId, payload);
    }

    /** Skips WINDOW_UPDATE frames and returns the next other frame. */
    Frame nextSignificant() throws IOException {
        while (true) {
            Frame f = next();
            if (f.type() == WINDOW_UPDATE) {
                continue;
            }
            return f;
        }
    }

    /** Reads until a GOAWAY and returns its error code; fails if the connection closes first. */
    int expectGoAway() throws IOException {
        while (true) {
            Frame f = nextOrNull();
            if (f == null) {
                fail("connection closed without GOAWAY");
            }
            if (f.type() == GOAWAY) {
                return f.errorCode();
            }
        }
    }

    /** Reads until a RST_STREAM on {@code streamId} and returns its code; fails on GOAWAY or close. */
    int expectReset(int streamId) throws IOException {
        while (true) {
            Frame f = next();
            if (f.type() == GOAWAY) {
                fail("GOAWAY (code " + f.errorCode() + ") where RST_STREAM was expected");
            }
            if (f.type() == RST_STREAM && f.streamId() == streamId) {
                return f.errorCode();
            }
        }
    }

    /** True when the server closed the connection (EOF or reset) before {@code timeoutMillis}. */
    boolean awaitClosed(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            while (nextOrNull() != null) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Decodes a field block. */
    List<String> decode(byte[] block) {
        List<String> fields = new ArrayList<>();
        try {
            decoder.decode(block, 0, block.length, Long.MAX_VALUE, (n, v) -> {
                fields.add(n);
                fields.add(v);
            });
        } catch (HpackException e) {
            throw new AssertionError(e);
        }
        return fields;
    }

    /**
     * Frames of other streams read while waiting for one, in arrival order, their header blocks decoded on
     * arrival: HPACK's dynamic table follows the order of the wire, so a block skipped (or decoded later)
     * would put the decoder out of step with the server when responses arrive out of order.
     */
    private final Map<Integer, ArrayDeque<StreamFrame>> pending = new HashMap<>();

    /** A frame of one stream, with its header block's fields when it is a HEADERS frame. */
    private record StreamFrame(Frame frame, List<String> fields) {
    }

    /** Reads the response of {@code streamId} to its END_STREAM; fails on RST_STREAM or GOAWAY. */
    Response response(int streamId) throws IOException {
        List<String> headers = null;
        List<String> trailers = List.of();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StreamFrame sf = nextOf(streamId);
            Frame f = sf.frame();
            switch (f.type()) {
                case HEADERS -> {
                    if (headers == null || headers.get(1).startsWith("1")) {
                        headers = sf.fields();
                    } else {
                        trailers = sf.fields();
                    }
                    if (f.has(END_STREAM)) {
                        return new Response(headers, body.toByteArray(), trailers);
                    }
                }
                case DATA -> {
                    body.writeBytes(f.payload());
                    if (f.has(END_STREAM)) {
                        return new Response(headers, body.toByteArray(), trailers);
                    }
                }
                case RST_STREAM -> fail("RST_STREAM code " + f.errorCode() + " on stream " + streamId);
                default -> {
                }
            }
        }
    }

    /** The next frame of {@code streamId}: one kept earlier, or from the wire, keeping other streams' frames. */
    private StreamFrame nextOf(int streamId) throws IOException {
        ArrayDeque<StreamFrame> kept = pending.get(streamId);
        if (kept != null && !kept.isEmpty()) {
            return kept.poll();
        }
        while (true) {
            Frame f = next();
            if (f.type() == GOAWAY) {
                fail("GOAWAY code " + f.errorCode());
            }
            if (f.streamId() == 0) {
                continue;
            }
            StreamFrame sf = new StreamFrame(f, f.type() == HEADERS ? decode(headerBlock(f)) : null);
            if (f.streamId() == streamId) {
                return sf;
            }
            pending.computeIfAbsent(f.streamId(), id -> new ArrayDeque<>()).add(sf);
        }
    }

    /** A HEADERS frame's whole field block, with the CONTINUATION frames that follow it. */
    private byte[] headerBlock(Frame headers) throws IOException {
        byte[] block = headers.payload();
        Frame cur = headers;
        while (!cur.has(END_HEADERS)) {
            cur = next();
            assertThat(cur.type()).isEqualTo(CONTINUATION);
            block = concat(block, cur.payload());
        }
        return block;
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
