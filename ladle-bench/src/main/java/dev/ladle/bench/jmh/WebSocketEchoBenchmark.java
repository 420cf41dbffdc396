package dev.ladle.bench.jmh;

import dev.ladle.bench.Main;
import dev.ladle.bench.load.WebSocketLoad;
import java.io.IOException;
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

    private OneConnection connection;
    private final byte[] buffer = new byte[ANSWER];

    /** Starts the server, opens the connection and does the handshake. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        connection = OneConnection.open(server);
        WebSocketLoad.upgrade(connection.socket());
    }

    /** Closes the connection and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        connection.close();
    }

    /** Sends one message and reads its echo. */
    @Benchmark
    public int echo() throws IOException {
        connection.out().write(FRAME);
        connection.readFully(buffer, ANSWER);
        return buffer[ANSWER - 1];
    }
}
