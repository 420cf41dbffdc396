package dev.ladle.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** The far end of a WebSocket as raw bytes: writes exactly the frames it is told, reads frames minimally. */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean masking;

    /** A received frame. */
    record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? CloseCode.NO_STATUS : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    RawPeer(Socket socket, boolean masking) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.masking = masking;
    }

    Socket socket() {
        return socket;
    }

    /** Builds a frame; {@code lengthBytes} forces the length encoding (0: minimal, 2 or 8 bytes). */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload, int lengthBytes) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        int maskBit = masked ? 0x80 : 0;
        int encoding = lengthBytes != 0 ? lengthBytes : payload.length <= 125 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
        if (encoding == 0) {
            b.put((byte) (maskBit | payload.length));
        } else if (encoding == 2) {
            b.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            b.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            b.put(key);
            for (int i = 0; i < payload.length; i++) {
                b.put((byte) (payload[i] ^ key[i & 3]));
            }
        } else {
            b.put(payload);
        }
        byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return bytes;
    }

    RawPeer send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        return sendRaw(frame(fin, rsv, opcode, masking, payload, 0));
    }

    RawPeer send(int opcode, byte[] payload) throws IOException {
        return send(true, 0, opcode, payload);
    }

    RawPeer sendText(String text) throws IOException {
        return send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    RawPeer sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r);
        return send(0x8, b.array());
    }

    RawPeer sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one frame; fails on end of stream. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("no frame: stream ended");
        }
        int b1 = readByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        byte[] key = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) len);
        if (key != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x70, b0 & 0x0F, key != null, payload);
    }

    /** Reads frames until a close frame and returns it, skipping data and pongs. */
    Frame readClose() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == 0x8) {
                return f;
            }
        }
    }

    /** Returns true when the peer closed the TCP connection (end of stream or reset) before any further byte. */
    boolean isClosedByOtherSide() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
