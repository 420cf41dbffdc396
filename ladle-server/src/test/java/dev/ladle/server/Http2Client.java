package dev.ladle.server;

import dev.ladle.server.internal.http2.HpackDecoder;
import dev.ladle.server.internal.http2.HpackEncoder;
import dev.ladle.server.internal.http2.HpackException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link ProtocolClient} for HTTP/2 with prior knowledge on a raw socket: the preface and SETTINGS,
 * each request a new stream of HEADERS (and CONTINUATION when the block is larger than a frame) and
 * DATA, sent within the server's flow-control windows. Stream credit is granted back as the test
 * consumes the body, so a test that stops reading stalls the server; connection credit is granted on
 * arrival.
 */
final class Http2Client implements ProtocolClient {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7,
            WINDOW_UPDATE = 8, CONTINUATION = 9;
    private static final int END_STREAM = 1, ACK = 1, END_HEADERS = 4, PADDED = 8, PRIORITY = 0x20;
    private static final int SETTINGS_ENABLE_PUSH = 2, SETTINGS_INITIAL_WINDOW_SIZE = 4, SETTINGS_MAX_FRAME_SIZE = 5;
    /** RST_STREAM code CANCEL (RFC 9113 section 7). */
    static final int CANCEL = 8;

    /** A field block or a DATA frame received on a stream. */
    private record Event(List<String[]> fields, byte[] data, boolean end) {
    }

    /** What this client knows of one stream. */
    private static final class Stream {
        final int id;
        final boolean head;
        final Deque<Event> events = new ArrayDeque<>();
        final List<Integer> informational = new ArrayList<>();
        long sendWindow;
        /** The server's RST_STREAM code, or -1. */
        int resetCode = -1;
        boolean localEnded;
        boolean bodyDone;
        Response pendingFinal;

        Stream(int id, boolean head, long sendWindow) {
            this.id = id;
            this.head = head;
            this.sendWindow = sendWindow;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String authority;
    private final HpackEncoder encoder = new HpackEncoder();
    private final HpackDecoder decoder = new HpackDecoder(4096);
    private final Map<Integer, Stream> streams = new HashMap<>();
    private int nextStreamId = 1;
    private Stream current;
    private long connectionSendWindow = 65_535;
    private int peerInitialWindow = 65_535;
    private int peerMaxFrameSize = 16_384;
    private boolean peerSettingsSeen;
    /** The server's GOAWAY code, or -1. */
    private int goAwayCode = -1;
    private boolean closed;

    Http2Client(URI uri) throws IOException {
        this(uri, new byte[0]);
    }

    /** Connects and sends {@code preamble} (a PROXY protocol header) before the HTTP/2 preface, in the same write. */
    Http2Client(URI uri, byte[] preamble) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), uri.getPort()), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        authority = uri.getAuthority();
        byte[] first = java.util.Arrays.copyOf(preamble, preamble.length + PREFACE.length);
        System.arraycopy(PREFACE, 0, first, preamble.length, PREFACE.length);
        out.write(first);
        writeFrame(SETTINGS, 0, 0, ByteBuffer.allocate(6).putShort((short) SETTINGS_ENABLE_PUSH).putInt(0).array());
        while (!peerSettingsSeen) {
            if (!pump()) {
                throw new IOException("connection closed during the HTTP/2 handshake");
            }
        }
    }

    @Override
    public Protocol protocol() {
        return Protocol.HTTP_2;
    }

    /** The server's GOAWAY error code, or -1 when none came yet. */
    int goAwayCode() {
        return goAwayCode;
    }

    /** The server's RST_STREAM code for the current stream, or -1 when it did not reset it. */
    int resetCode() {
        return current.resetCode;
    }

    // ---- sending -----------------------------------------------------------------------------------

    @Override
    public ProtocolClient send(Request request) throws IOException {
        byte[] body = request.body();
        boolean hasBody = body != null && body.length > 0;
        if (body != null && request.value("Content-Length") == null) {
            request = request.header("Content-Length", Integer.toString(body.length));
        }
        writeHeaders(request, !hasBody);
        if (hasBody) {
            writeData(body, true);
        }
        return this;
    }

    @Override
    public ProtocolClient sendHead(Request request) throws IOException {
        writeHeaders(request, false);
        return this;
    }

    @Override
    public ProtocolClient sendBody(byte[] piece) throws IOException {
        writeData(piece, false);
        return this;
    }

    @Override
    public ProtocolClient endBody() throws IOException {
        if (!current.localEnded) {
            writeData(new byte[0], true);
        }
        return this;
    }

    /**
     * Sends a request head whose field block never ends: HEADERS and CONTINUATION frames without
     * END_HEADERS, up to {@code maxBytes} of the block or until the server ends the connection.
     */
    void sendUnfinishedHead(Request request, int maxBytes) throws IOException {
        byte[] block = encode(request);
        current = open(request);
        int sent = 0;
        try {
            for (int type = HEADERS; sent < Math.min(block.length, maxBytes); type = CONTINUATION) {
                int n = Math.min(peerMaxFrameSize, block.length - sent);
                writeFrame(type, 0, current.id, Arrays.copyOfRange(block, sent, sent + n));
                sent += n;
            }
        } catch (IOException e) {
            // the server gave up on the block and closed: what the caller checks
        }
    }

    private Stream open(Request request) {
        Stream s = new Stream(nextStreamId, request.method().equals("HEAD"), peerInitialWindow);
        nextStreamId += 2;
        streams.put(s.id, s);
        return s;
    }

    private void writeHeaders(Request request, boolean endStream) throws IOException {
        byte[] block = encode(request);
        current = open(request);
        current.localEnded = endStream;
        int sent = 0;
        int type = HEADERS;
        do {
            int n = Math.min(peerMaxFrameSize, block.length - sent);
            boolean last = sent + n == block.length;
            int flags = (last ? END_HEADERS : 0) | (type == HEADERS && endStream ? END_STREAM : 0);
            writeFrame(type, flags, current.id, Arrays.copyOfRange(block, sent, sent + n));
            sent += n;
            type = CONTINUATION;
        } while (sent < block.length);
    }

    private byte[] encode(Request request) {
        String host = request.value("Host");
        encoder.startBlock();
        encoder.header(":method", request.method());
        encoder.header(":scheme", "http");
        encoder.header(":authority", host != null ? host : authority);
        encoder.header(":path", request.target());
        for (String[] h : request.headers()) {
            if (!h[0].equalsIgnoreCase("Host")) {
                encoder.header(h[0].toLowerCase(Locale.ROOT), h[1]);
            }
        }
        return Arrays.copyOf(encoder.blockArray(), encoder.blockLength());
    }

    /** Sends {@code bytes} as DATA within the send windows, waiting for credit as needed. */
    private void writeData(byte[] bytes, boolean end) throws IOException {
        Stream s = current;
        int off = 0;
        do {
            int n = Math.min(bytes.length - off, peerMaxFrameSize);
            while (n > 0 && Math.min(s.sendWindow, connectionSendWindow) <= 0) {
                if (s.resetCode >= 0 || closed) {
                    throw new IOException("stream " + s.id + " ended by the server while sending its body: " + describe(s));
                }
                pump();
            }
            if (s.resetCode >= 0) {
                throw new IOException("stream " + s.id + " reset by the server while sending its body: " + describe(s));
            }
            n = (int) Math.min(n, Math.min(s.sendWindow, connectionSendWindow));
            boolean last = off + n == bytes.length;
            writeFrame(DATA, last && end ? END_STREAM : 0, s.id, Arrays.copyOfRange(bytes, off, off + n));
            s.sendWindow -= n;
            connectionSendWindow -= n;
            off += n;
        } while (off < bytes.length);
        s.localEnded |= end;
    }

    private void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
        b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        b.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        out.write(b.array());
        out.flush();
    }

    @Override
    public void cancel() throws IOException {
        writeFrame(RST_STREAM, 0, current.id, ByteBuffer.allocate(4).putInt(CANCEL).array());
    }

    // ---- receiving ---------------------------------------------------------------------------------

    @Override
    public int awaitContinue() throws IOException {
        Stream s = current;
        Event e = nextEvent(s);
        if (e == null || e.fields() == null) {
            throw new IOException("no response head on stream " + s.id + ": " + describe(s));
        }
        int status = status(e.fields());
        if (status == 100) {
            s.informational.add(100);
            return 100;
        }
        s.events.addFirst(e);
        s.pendingFinal = read();
        return status;
    }

    @Override
    public Response read() throws IOException {
        Stream s = current;
        if (s.pendingFinal != null) {
            Response r = s.pendingFinal;
            s.pendingFinal = null;
            return r;
        }
        Response head = readHead();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] piece;
        while ((piece = readBodyPiece()) != null) {
            body.writeBytes(piece);
        }
        if (!s.bodyDone) {
            throw new IOException("response body on stream " + s.id + " cut short: " + describe(s));
        }
        return new Response(head.status(), null, head.fields(), body.toByteArray(), head.informational());
    }

    @Override
    public Response readHead() throws IOException {
        Stream s = current;
        while (true) {
            Event e = nextEvent(s);
            if (e == null) {
                throw new IOException("no response on stream " + s.id + ": " + describe(s));
            }
            if (e.fields() == null) {
                throw new IOException("DATA before the response head on stream " + s.id);
            }
            int status = status(e.fields());
            if (status / 100 == 1) {
                s.informational.add(status);
                continue;
            }
            s.bodyDone = e.end();
            List<String[]> fields = new ArrayList<>();
            for (String[] f : e.fields()) {
                if (!f[0].startsWith(":")) {
                    fields.add(f);
                }
            }
            return new Response(status, null, fields, new byte[0], List.copyOf(s.informational));
        }
    }

    @Override
    public byte[] readBodyPiece() throws IOException {
        Stream s = current;
        while (!s.bodyDone) {
            Event e = nextEvent(s);
            if (e == null) {
                return null;
            }
            if (e.fields() != null) {
                // trailers end the body
                s.bodyDone = true;
                return null;
            }
            s.bodyDone = e.end();
            if (e.data().length > 0) {
                if (!e.end() && s.resetCode < 0) {
                    windowUpdate(s.id, e.data().length);
                }
                return e.data();
            }
        }
        return null;
    }

    @Override
    public boolean endedByServer(int millis) throws IOException {
        Stream s = current;
        int old = socket.getSoTimeout();
        // a timeout of 0 would wait forever
        socket.setSoTimeout(Math.max(1, millis));
        try {
            while (s.resetCode < 0 && goAwayCode < 0 && !closed) {
                pump();
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!closed) {
                socket.setSoTimeout(old);
            }
        }
    }

    /** The next event of {@code s}, reading frames as needed; null once it was reset or the connection closed. */
    private Event nextEvent(Stream s) throws IOException {
        while (s.events.isEmpty()) {
            if (s.resetCode >= 0 || closed) {
                return null;
            }
            pump();
        }
        return s.events.poll();
    }

    /** Reads and handles one frame; false when the connection is closed. */
    private boolean pump() throws IOException {
        if (closed) {
            return false;
        }
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (EOFException | SocketException e) {
            closed = true;
            return false;
        }
        int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
        int type = header[3] & 0xff;
        int flags = header[4] & 0xff;
        int sid = ByteBuffer.wrap(header, 5, 4).getInt() & 0x7fff_ffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        Stream s = streams.get(sid);
        switch (type) {
            case DATA -> {
                byte[] data = unpad(payload, flags);
                if (length > 0) {
                    windowUpdate(0, length);
                }
                if (s != null) {
                    s.events.add(new Event(null, data, (flags & END_STREAM) != 0));
                }
            }
            case HEADERS -> {
                byte[] block = unpad(payload, flags);
                if ((flags & PRIORITY) != 0) {
                    block = Arrays.copyOfRange(block, 5, block.length);
                }
                int blockFlags = flags;
                while ((blockFlags & END_HEADERS) == 0) {
                    byte[] next = new byte[9];
                    in.readFully(next);
                    byte[] more = new byte[(next[0] & 0xff) << 16 | (next[1] & 0xff) << 8 | (next[2] & 0xff)];
                    in.readFully(more);
                    if ((next[3] & 0xff) != CONTINUATION) {
                        throw new IOException("frame type " + (next[3] & 0xff) + " inside a field block");
                    }
                    blockFlags = next[4] & 0xff;
                    block = concat(block, more);
                }
                List<String[]> fields = decode(block);
                if (s != null) {
                    s.events.add(new Event(fields, null, (flags & END_STREAM) != 0));
                }
            }
            case RST_STREAM -> {
                if (s != null) {
                    s.resetCode = ByteBuffer.wrap(payload).getInt();
                }
            }
            case SETTINGS -> {
                if ((flags & ACK) == 0) {
                    settings(payload);
                    writeFrame(SETTINGS, ACK, 0, new byte[0]);
                    peerSettingsSeen = true;
                }
            }
            case PING -> {
                if ((flags & ACK) == 0) {
                    writeFrame(PING, ACK, 0, payload);
                }
            }
            case GOAWAY -> goAwayCode = ByteBuffer.wrap(payload, 4, 4).getInt();
            case WINDOW_UPDATE -> {
                int increment = ByteBuffer.wrap(payload).getInt() & 0x7fff_ffff;
                if (sid == 0) {
                    connectionSendWindow += increment;
                } else if (s != null) {
                    s.sendWindow += increment;
                }
            }
            default -> {
                // PRIORITY, PUSH_PROMISE (refused by our SETTINGS), unknown types: nothing to do
            }
        }
        return true;
    }

    private void settings(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        while (b.remaining() >= 6) {
            int id = b.getShort() & 0xffff;
            int value = b.getInt();
            if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
                for (Stream s : streams.values()) {
                    s.sendWindow += value - peerInitialWindow;
                }
                peerInitialWindow = value;
            } else if (id == SETTINGS_MAX_FRAME_SIZE) {
                peerMaxFrameSize = value;
            }
        }
    }

    private void windowUpdate(int streamId, int increment) throws IOException {
        if (!closed) {
            writeFrame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
        }
    }

    private List<String[]> decode(byte[] block) throws IOException {
        List<String[]> fields = new ArrayList<>();
        try {
            decoder.decode(block, 0, block.length, Long.MAX_VALUE, (n, v) -> fields.add(new String[] {n, v}));
        } catch (HpackException e) {
            throw new IOException("bad field block from the server", e);
        }
        return fields;
    }

    private static int status(List<String[]> fields) throws IOException {
        for (String[] f : fields) {
            if (f[0].equals(":status")) {
                return Integer.parseInt(f[1]);
            }
        }
        throw new IOException("response head without :status");
    }

    private static byte[] unpad(byte[] payload, int flags) {
        if ((flags & PADDED) == 0) {
            return payload;
        }
        int pad = payload[0] & 0xff;
        return Arrays.copyOfRange(payload, 1, payload.length - pad);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private String describe(Stream s) {
        return "reset code " + s.resetCode + ", GOAWAY code " + goAwayCode + (closed ? ", connection closed" : "");
    }

    @Override
    public void closeWithReset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
