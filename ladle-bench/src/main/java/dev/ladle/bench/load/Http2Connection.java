package dev.ladle.bench.load;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/2 connection with prior knowledge (h2c) over a connected socket, written frame by frame:
 * the smallest client the idle-connections row and the smoke tests need, allocating nothing per idle
 * connection beyond its socket and a small read buffer.
 *
 * <p>It sends the client preface with an empty SETTINGS frame when made, then one {@code GET} at a time
 * on streams 1, 3, 5, ... Request headers use HPACK's static table and plain literals only (no Huffman
 * coding, nothing added to the server's dynamic table). While reading an answer it acknowledges the
 * server's SETTINGS and PINGs, and afterwards gives the connection's flow-control window back; an answer
 * must fit the default stream window (64 KiB). Not thread-safe; reads block up to the socket's timeout.
 */
public final class Http2Connection implements Closeable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final int FRAME_HEADER = 9;
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int FLAG_END_STREAM = 0x1;
    private static final int FLAG_ACK = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;
    private static final int FLAG_PADDED = 0x8;
    private static final int FLAG_PRIORITY = 0x20;

    // HPACK (RFC 7541, appendix A): indexed static entries, and a literal without indexing whose
    // name is a static entry (4-bit prefix: the index itself, below 15)
    private static final int INDEXED = 0x80;
    private static final int METHOD_GET = 2;
    private static final int SCHEME_HTTP = 6;
    private static final int NAME_AUTHORITY = 1;
    private static final int NAME_PATH = 4;
    private static final int NAME_STATUS = 8;
    /** The statuses of static entries 8 to 14. */
    private static final int[] STATIC_STATUS = {200, 204, 206, 304, 400, 404, 500};

    /** An answer: its status (-1 when the server coded it in a way this client does not decode) and body size. */
    public record Answer(int status, int bodyBytes) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String authority;
    private byte[] payload = new byte[64];
    private int nextStream = 1;
    private boolean goneAway;
    /** The frame last read: its header's fields; its payload is the start of {@link #payload}. */
    private int frameLength;
    private int frameType;
    private int frameFlags;
    private int frameStream;

    /** Sends the client preface and SETTINGS on {@code socket} (connected) for the given {@code :authority}. */
    public Http2Connection(Socket socket, String authority) throws IOException {
        this.socket = socket;
        this.authority = authority;
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1024));
        out = socket.getOutputStream();
        ByteBuffer hello = ByteBuffer.allocate(PREFACE.length + FRAME_HEADER);
        hello.put(PREFACE);
        frameHeader(hello, 0, SETTINGS, 0, 0);
        out.write(hello.array());
    }

    /**
     * Sends {@code GET path} on a new stream and reads until that stream ends; returns null when the
     * server closed the connection or sent GOAWAY first.
     *
     * @throws IOException when the server resets the stream, breaks the framing or does not answer in time
     */
    public Answer get(String path) throws IOException {
        if (goneAway) {
            return null;
        }
        int stream = nextStream;
        nextStream += 2;
        out.write(headersFrame(stream, path));
        int status = -1;
        int body = 0;
        while (readFrame()) {
            if (frameType == GOAWAY) {
                goneAway = true;
                return null;
            }
            answerControlFrame();
            if (frameStream != stream) {
                continue;
            }
            if (frameType == RST_STREAM) {
                throw new IOException("stream " + stream + " reset by the server");
            } else if (frameType == HEADERS && status == -1) {
                status = status(payload, frameFlags);
            } else if (frameType == DATA) {
                body += frameLength - padding(payload, frameFlags);
            }
            if ((frameType == HEADERS || frameType == DATA) && (frameFlags & FLAG_END_STREAM) != 0) {
                return new Answer(status, body);
            }
        }
        return null;
    }

    /** Reads the next frame into the frame fields and {@link #payload}; false when the server closed. */
    private boolean readFrame() throws IOException {
        try {
            frameLength = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            frameType = in.readUnsignedByte();
            frameFlags = in.readUnsignedByte();
            frameStream = in.readInt() & 0x7fffffff;
            if (payload.length < frameLength) {
                payload = new byte[Math.max(frameLength, payload.length * 2)];
            }
            in.readFully(payload, 0, frameLength);
            return true;
        } catch (EOFException e) {
            return false;
        }
    }

    /** Acknowledges SETTINGS and PING, and gives back the connection window that DATA took. */
    private void answerControlFrame() throws IOException {
        boolean ack = (frameFlags & FLAG_ACK) != 0;
        if (frameType == SETTINGS && !ack) {
            out.write(frame(SETTINGS, FLAG_ACK, 0, payload, 0));
        } else if (frameType == PING && !ack) {
            out.write(frame(PING, FLAG_ACK, 0, payload, frameLength));
        } else if (frameType == DATA && frameLength > 0) {
            // each stream carries one answer and ends; only the connection's window outlives it
            out.write(frame(WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(frameLength).array(), 4));
        }
    }

    /** Closes the socket. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] headersFrame(int stream, String path) {
        byte[] p = path.getBytes(StandardCharsets.US_ASCII);
        byte[] a = authority.getBytes(StandardCharsets.US_ASCII);
        // both strings are short: a 7-bit length without the Huffman bit
        if (p.length > 126 || a.length > 126) {
            throw new IllegalArgumentException("path or authority too long for this client");
        }
        ByteBuffer block = ByteBuffer.allocate(6 + p.length + a.length);
        block.put((byte) (INDEXED | METHOD_GET)).put((byte) (INDEXED | SCHEME_HTTP));
        block.put((byte) NAME_PATH).put((byte) p.length).put(p);
        block.put((byte) NAME_AUTHORITY).put((byte) a.length).put(a);
        return frame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, stream, block.array(), block.position());
    }

    private static byte[] frame(int type, int flags, int stream, byte[] body, int length) {
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + length);
        frameHeader(frame, length, type, flags, stream);
        frame.put(body, 0, length);
        return frame.array();
    }

    private static void frameHeader(ByteBuffer to, int length, int type, int flags, int stream) {
        to.put((byte) (length >>> 16)).putShort((short) length).put((byte) type).put((byte) flags).putInt(stream);
    }

    private static int padding(byte[] payload, int flags) {
        return (flags & FLAG_PADDED) != 0 ? 1 + (payload[0] & 0xff) : 0;
    }

    /** The {@code :status} of a header block, when it is its first field (servers put it there), or -1. */
    private static int status(byte[] payload, int flags) {
        int at = (flags & FLAG_PADDED) != 0 ? 1 : 0;
        if ((flags & FLAG_PRIORITY) != 0) {
            at += 5;
        }
        // dynamic table size updates (001xxxxx, a 5-bit prefix integer) may open a block: skip them
        while ((payload[at] & 0xe0) == 0x20) {
            boolean more = (payload[at++] & 0x1f) == 0x1f;
            while (more) {
                more = (payload[at++] & 0x80) != 0;
            }
        }
        int first = payload[at] & 0xff;
        if ((first & INDEXED) != 0) {
            int index = first & 0x7f;
            return index >= NAME_STATUS && index < NAME_STATUS + STATIC_STATUS.length ? STATIC_STATUS[index - NAME_STATUS] : -1;
        }
        // a literal with the static name :status, with or without indexing, value not Huffman-coded
        boolean named = first == (0x40 | NAME_STATUS) || first == NAME_STATUS || first == (0x10 | NAME_STATUS);
        int valueLength = payload[at + 1] & 0xff;
        if (!named || valueLength != 3) {
            return -1;
        }
        String digits = new String(payload, at + 2, 3, StandardCharsets.US_ASCII);
        return digits.chars().allMatch(Character::isDigit) ? Integer.parseInt(digits) : -1;
    }
}
