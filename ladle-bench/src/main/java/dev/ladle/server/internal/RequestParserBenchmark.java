package dev.ladle.server.internal;

import dev.ladle.http.MessageHeaders;
import dev.ladle.server.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ladle's request-head parser and header look-up, in place on a buffer that already holds the request
 * (no I/O). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per request.
 *
 * <p>This class sits in the engine's package (split across jars on the class path, which the module
 * system would refuse) so that it can reach the package-private parser without widening its API.
 *
 * <ul>
 *   <li>{@code parse}: the request line and header section into a new {@link Exchange}, as the engine
 *       does for each request;</li>
 *   <li>{@code parseAndLookUp}: the same, then the first header look-up, which turns the kept header
 *       bytes into {@link MessageHeaders};</li>
 *   <li>{@code lookUp}: a look-up in headers that already exist (case-insensitive, present and absent).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestParserBenchmark {
    /** What wrk sends for the plaintext row. */
    private static final String WRK = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n";
    /** A browser's request: a dozen fields. */
    private static final String BROWSER = "GET /static/app.js?v=3 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"128\", \"Not;A=Brand\";v=\"24\"\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "Accept: */*\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Sec-Fetch-Mode: no-cors\r\n"
            + "Sec-Fetch-Dest: script\r\n"
            + "Referer: https://www.example.com/\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n"
            + "Cookie: session=3f2a9c1e8b7d4f60; theme=dark\r\n\r\n";

    /** Which request head to parse. */
    @Param({"wrk", "browser"})
    public String request;

    private byte[] head;
    private InputBuffer in;
    private RequestHeadParser parser;
    private final Limits limits = new Limits();
    private MessageHeaders built;

    /** Builds the parser over a buffer that holds the head. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        head = (request.equals("wrk") ? WRK : BROWSER).getBytes(StandardCharsets.ISO_8859_1);
        in = new InputBuffer(InputStream.nullInputStream());
        System.arraycopy(head, 0, in.buf, 0, head.length);
        parser = new RequestHeadParser(in, new StreamTransport(InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), null, null, null));
        built = parse().getRequestHeaders();
    }

    private Exchange parse() throws IOException, HttpException {
        in.pos = 0;
        in.limit = head.length;
        Exchange ex = new Exchange(null);
        parser.parse(ex, limits, Long.MAX_VALUE);
        return ex;
    }

    /** Parses the request line and header section. */
    @Benchmark
    public Exchange parseHead() throws IOException, HttpException {
        return parse();
    }

    /** Parses the head, then looks up one header (which builds the headers). */
    @Benchmark
    public String parseAndLookUp() throws IOException, HttpException {
        return parse().getRequestHeaders().getOne("accept");
    }

    /** Looks up a present header by a differently-cased name in headers that exist. */
    @Benchmark
    public String lookUpPresent() {
        return built.getOne("HOST");
    }

    /** Looks up an absent header in headers that exist. */
    @Benchmark
    public String lookUpAbsent() {
        return built.getOne("X-Forwarded-For");
    }
}
