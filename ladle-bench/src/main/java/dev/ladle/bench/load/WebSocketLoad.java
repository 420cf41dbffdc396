package dev.ladle.bench.load;

import dev.ladle.bench.Endpoints;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WebSocket echo row: C connections to {@code /ws}, each on its own virtual thread sending one
 * masked binary message of S bytes and waiting for its echo, over and over; reports echoed messages per
 * second after a warm-up.
 *
 * <pre>
 * java ... dev.ladle.bench.load.WebSocketLoad PORT CONNECTIONS SIZE WARMUP_SECONDS SECONDS
 * </pre>
 *
 * <p>A frame is built once per connection (the mask is fixed), so the client allocates nothing per
 * message and the server's work is what the row measures.
 */
public final class WebSocketLoad {
    private WebSocketLoad() {
    }

    /** Runs the row; see the class comment. Prints {@code key=value} lines for run.sh. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double seconds = Double.parseDouble(args[4]);

        LongAdder echoed = new LongAdder();
        LongAdder failures = new LongAdder();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sockets.add(handshake(port));
        }
        long end = System.nanoTime() + (long) ((warmup + seconds) * 1e9);
        List<Thread> threads = new ArrayList<>();
        byte[] frame = maskedBinaryFrame(size);
        for (Socket socket : sockets) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
                    byte[] payload = new byte[size];
                    while (System.nanoTime() < end) {
                        out.write(frame);
                        out.flush();
                        readMessage(in, payload);
                        echoed.increment();
                    }
                } catch (IOException e) {
                    failures.increment();
                }
            }));
        }
        Thread.sleep((long) (warmup * 1000));
        long counted0 = echoed.sum();
        long t0 = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long counted = echoed.sum() - counted0;
        for (Socket s : sockets) {
            s.close();
        }
        System.out.printf("messages_per_s=%.0f%n", counted / elapsed);
        System.out.println("failed_connections=" + failures.sum());
    }

    /**
     * Opens one connection, sends one message of {@code size} bytes and returns the length of the
     * message that came back (a check that a server's echo works with this client).
     */
    public static long echoOnce(int port, int size) throws IOException {
        try (Socket socket = handshake(port)) {
            socket.getOutputStream().write(maskedBinaryFrame(size));
            return readMessage(new DataInputStream(new BufferedInputStream(socket.getInputStream())), new byte[size]);
        }
    }

    private static Socket handshake(int port) throws IOException {
        Socket socket = Endpoints.connect(Endpoints.HOST, port, 30_000);
        upgrade(socket);
        // Untimed from here on: a timed read costs a virtual thread a timer per message, which made this
        // client, not the server, the bottleneck of the row (run.sh bounds the whole run with timeout).
        socket.setSoTimeout(0);
        return socket;
    }

    /** Performs the opening handshake for {@code /ws} on a connected socket; fails unless it gets 101. */
    public static void upgrade(Socket socket) throws IOException {
        socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    /** A final binary frame from a client: masked with a fixed key (RFC 6455 section 5.3). */
    public static byte[] maskedBinaryFrame(int size) {
        int lengthBytes = size < 126 ? 0 : size <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + size];
        frame[0] = (byte) 0x82;
        int p = 2;
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | size);
        } else if (lengthBytes == 2) {
            frame[1] = (byte) (0x80 | 126);
            frame[p++] = (byte) (size >>> 8);
            frame[p++] = (byte) size;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[p++] = (byte) ((long) size >>> shift);
            }
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        System.arraycopy(mask, 0, frame, p, 4);
        p += 4;
        for (int i = 0; i < size; i++) {
            frame[p + i] = (byte) (('a' + i % 26) ^ mask[i & 3]);
        }
        return frame;
    }

    /**
     * Reads frames until one with FIN set ends the message; control frames other than close are
     * skipped. Returns the message's length.
     */
    static long readMessage(DataInputStream in, byte[] scratch) throws IOException {
        long total = 0;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            int opcode = b0 & 0x0F;
            if (opcode < 0x8) {
                total += length;
            }
            if (opcode == 0x8) {
                throw new IOException("server closed the WebSocket");
            }
            long left = length;
            while (left > 0) {
                int n = (int) Math.min(left, scratch.length == 0 ? 1 : scratch.length);
                in.readFully(scratch.length == 0 ? new byte[1] : scratch, 0, n);
                left -= n;
            }
            if ((b0 & 0x80) != 0 && opcode != 0x9 && opcode != 0xA) {
                return total;
            }
        }
    }
}
