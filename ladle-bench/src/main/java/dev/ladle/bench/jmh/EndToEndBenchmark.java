package dev.ladle.bench.jmh;

import dev.ladle.bench.Endpoints;
import dev.ladle.bench.Main;
import dev.ladle.server.internal.jfr.ConnectionEvent;
import dev.ladle.server.internal.jfr.RequestEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
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
 * One keep-alive {@code GET /plaintext} over loopback per operation, against a server in the same JVM.
 * The client here allocates nothing per request, so with {@code -prof gc} the
 * {@code gc.alloc.rate.norm} figure is what the server allocates to answer one request, whatever
 * thread it allocates on (virtual threads' allocation is counted on their carriers).
 *
 * <p>{@code -p jfr=off,recording,events} measures what Ladle's Flight Recorder events cost (issue 19):
 * {@code off} runs no recording (the events' code still runs, finding them disabled), {@code recording}
 * runs a recording with the JDK's {@code default} settings, which leave Ladle's events disabled, and
 * {@code events} the same recording with {@value RequestEvent#NAME} and {@value ConnectionEvent#NAME}
 * enabled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EndToEndBenchmark {
    private static final byte[] REQUEST =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The server to ask (a name {@link Main#SERVERS} knows). */
    @Param({"ladle"})
    public String server;

    /** Flight Recorder: {@code off}, {@code recording} (Ladle's events disabled) or {@code events}. */
    @Param({"off"})
    public String jfr;

    private Recording recording;
    private OneConnection connection;
    private final byte[] buffer = new byte[4096];

    /** Starts the server and opens the connection. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        recording = startRecording(jfr);
        connection = OneConnection.open(server);
    }

    /** Closes the connection and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        connection.close();
        if (recording != null) {
            recording.close();
        }
    }

    /** Starts the recording the {@code jfr} parameter names, or none. */
    private static Recording startRecording(String jfr) throws Exception {
        if (jfr.equals("off")) {
            return null;
        }
        Recording r = new Recording(Configuration.getConfiguration("default"));
        switch (jfr) {
            case "recording" -> { }
            case "events" -> {
                r.enable(RequestEvent.NAME);
                r.enable(ConnectionEvent.NAME);
            }
            default -> throw new IllegalArgumentException("jfr must be off, recording or events: " + jfr);
        }
        r.setToDisk(false);
        r.start();
        return r;
    }

    /** Sends one request and reads its answer up to the end of the 13-byte body. */
    @Benchmark
    public int plaintext() throws IOException {
        connection.out().write(REQUEST);
        int filled = 0;
        while (!endsWithBody(filled)) {
            int n = connection.in().read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            filled += n;
        }
        return filled;
    }

    /** True once the buffer ends with {@code Hello, World!} (the answer's last bytes). */
    private boolean endsWithBody(int filled) {
        byte[] hello = Endpoints.hello();
        if (filled < hello.length) {
            return false;
        }
        for (int i = 0; i < hello.length; i++) {
            if (buffer[filled - hello.length + i] != hello[i]) {
                return false;
            }
        }
        return true;
    }
}
