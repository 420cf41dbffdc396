package dev.ladle.bench.jmh;

import dev.ladle.server.internal.jfr.ConnectionEvent;
import dev.ladle.server.internal.jfr.RequestEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a request pays for Ladle's Flight Recorder events when no recording enables them: the check each
 * request and connection makes ({@code beginIfEnabled}, which then allocates nothing), against a method
 * that returns null outright. {@code -prof gc} shows the bytes (none).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DisabledEventBenchmark {
    /** The floor: a call that returns null. */
    @Benchmark
    public Object baseline() {
        return null;
    }

    /** The per-request check, with the request event disabled. */
    @Benchmark
    public Object requestEventDisabled() {
        return RequestEvent.beginIfEnabled();
    }

    /** The per-connection check, with the connection event disabled. */
    @Benchmark
    public Object connectionEventDisabled() {
        return ConnectionEvent.beginIfEnabled();
    }
}
