package dev.ladle.bench.jmh;

import dev.ladle.bench.BenchServer;
import dev.ladle.bench.Endpoints;
import dev.ladle.bench.Main;
import dev.ladle.bench.ServerOptions;
import dev.ladle.bench.load.WebSocketLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One WebSocket echo of a 64-byte binary message per operation, over one connection to a server in the
 * same JVM (the {@code websocket64} row's exchange, without its hundred connections). The client
 * allocates nothing per message, so with {@code -prof gc} {@code gc.alloc.rate.norm} is what the server
 * allocates to receive a message and send it back: a figure the machine's noise does not move.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WebSocketEchoBenchmark {
    private static final int PAYLOAD = 64;
    /** A masked binary frame of 64 bytes, as the {@code websocket64} row's client sends it. */
    private static final byte[] FRAME = WebSocketLoad.maskedBinaryFrame(PAYLOAD);
    /** What comes back: an unmasked binary frame of 64 bytes. */
    private static final int ANSWER = 2 + PAYLOAD;

    /** The server to ask (a name {@link Main#SERVERS} knows). */
    @Param({"ladle"})
    public String server;

    private BenchServer running;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buffer = new byte[4096];

    /** Starts the server, opens the connection and does the handshake. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        running = Main.start(server, ServerOptions.plain(0));
        socket = Endpoints.connect(Endpoints.HOST, running.port(), 0);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        WebSocketLoad.upgrade(socket);
    }

    /** Closes the connection and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        socket.close();
        running.close();
    }

    /** Sends one message and reads its echo. */
    @Benchmark
    public int echo() throws IOException {
        out.write(FRAME);
        int filled = 0;
        while (filled < ANSWER) {
            int n = in.read(buffer, filled, ANSWER - filled);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            filled += n;
        }
        return buffer[ANSWER - 1];
    }
}
