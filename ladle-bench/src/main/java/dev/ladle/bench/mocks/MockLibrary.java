package dev.ladle.bench.mocks;

/**
 * One mock-server library as a test uses it, reduced to one cycle: start a server on a free port, stub
 * {@code GET /hello} (200, {@code text/plain}, {@code Hello}), send that one request, stop the server.
 * An implementation holds the HTTP client it sends with; it is used from one thread at a time.
 */
public interface MockLibrary {

    /** The library's name in the report: {@code ladle-junit}, {@code mockwebserver} or {@code wiremock}. */
    String library();

    /** Whether the server speaks HTTPS (with the key of {@link TestKey}) rather than plain HTTP. */
    boolean https();

    /** The name of this row of the report: the library, followed by {@code https} for an HTTPS one. */
    default String name() {
        return https() ? library() + " https" : library();
    }

    /**
     * Runs one cycle. The server is stopped when this returns, whether or not it threw.
     *
     * @throws Exception when the server did not start or stop, or the answer was not the stub's
     */
    void cycle() throws Exception;
}
