package dev.ladle.junit;

import java.util.Objects;
import java.util.function.Function;

/**
 * The conditions of a stub being set up, from {@link MockServer#on}; ends with one of the
 * {@code respond} methods, which registers the stub.
 *
 * <pre>{@code
 * server.onGet("/items").withHeader("Accept", containing("json")).respond(MockResponse.json("[]"));
 * server.onPost("/items").withBodyContaining("\"name\"").times(1).respond(MockResponse.status(201));
 * }</pre>
 *
 * <p>The path matches exactly (decoded, without the query), or every path under a prefix when it ends
 * with {@code /*}: {@code /api/*} matches {@code /api} and {@code /api/items/7}. A {@code GET} stub
 * also answers {@code HEAD} requests (without the body, as HTTP has it). See {@link RequestConditions}
 * for the conditions.
 */
public final class Stubbing extends RequestConditions<Stubbing> {
    private final MockServer server;
    private int times;

    Stubbing(MockServer server, String method, String path) {
        super(method, path, true);
        this.server = server;
    }

    Stubbing(MockServer server, String method, StringMatcher path) {
        super(method, path, true);
        this.server = server;
    }

    @Override
    Stubbing self() {
        return this;
    }

    /**
     * Answers at most {@code times} requests; after that the stub no longer matches (the next stub or
     * the queue answers, or the client gets 404).
     */
    public Stubbing times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        this.times = times;
        return this;
    }

    /** Registers the stub answering every matching request with {@code response}. */
    public Stub respond(MockResponse response) {
        Objects.requireNonNull(response, "response");
        return respondWith(request -> response);
    }

    /** Registers the stub answering with {@code status} and an empty body. */
    public Stub respond(int status) {
        return respond(MockResponse.withStatus(status));
    }

    /** Registers the stub answering with {@code status} and a text body of the given type. */
    public Stub respond(int status, String contentType, String body) {
        return respond(MockResponse.withStatus(status).withBody(contentType, body));
    }

    /**
     * Registers the stub computing each answer from the request (on the connection's virtual thread;
     * blocking is fine). An exception thrown here answers 500 and fails the test with the extension.
     */
    public Stub respondWith(Function<RecordedRequest, MockResponse> answer) {
        Objects.requireNonNull(answer, "answer");
        Stub stub = new Stub(server, describe(), conditions(), answer, times);
        server.add(stub);
        return stub;
    }
}
