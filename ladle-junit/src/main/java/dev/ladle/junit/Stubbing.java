package dev.ladle.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The conditions of a stub being set up, from {@link MockServer#on}; ends with one of the
 * {@code respond} methods, which registers the stub.
 *
 * <pre>{@code
 * server.onGet("/items").withHeader("Accept", "application/json").respond(MockResponse.json("[]"));
 * server.onPost("/items").withBodyContaining("\"name\"").times(1).respond(MockResponse.status(201));
 * }</pre>
 *
 * <p>The path matches exactly (decoded, without the query), or every path under a prefix when it ends
 * with {@code /*}: {@code /api/*} matches {@code /api} and {@code /api/items/7}.
 */
public final class Stubbing {
    private final MockServer server;
    private final List<Predicate<RecordedRequest>> conditions = new ArrayList<>();
    private final String target;
    private final List<String> described = new ArrayList<>();
    private int times;

    Stubbing(MockServer server, String method, String path) {
        this.server = server;
        Checks.requirePath(path);
        target = (method == null ? "any method" : method) + " " + path;
        if (method != null) {
            conditions.add(r -> r.method().equals(method));
        }
        conditions.add(r -> MockServer.pathMatches(path, r.path()));
    }

    /** Matches only requests with a header {@code name} (case-insensitive) whose value is {@code value}. */
    public Stubbing withHeader(String name, String value) {
        Objects.requireNonNull(value, "value");
        return with("header " + name + "=" + value, r -> r.headers(name).contains(value));
    }

    /** Matches only requests that have a header {@code name}, whatever its value. */
    public Stubbing withHeaderPresent(String name) {
        return with("header " + name, r -> r.header(name) != null);
    }

    /** Matches only requests whose query has {@code name} with the (decoded) {@code value}. */
    public Stubbing withQueryParameter(String name, String value) {
        Objects.requireNonNull(value, "value");
        return with("query " + name + "=" + value, r -> value.equals(r.queryParameter(name)));
    }

    /** Matches only requests whose body, as text, is exactly {@code body}. */
    public Stubbing withBody(String body) {
        Objects.requireNonNull(body, "body");
        return with("body " + quote(body), r -> r.bodyAsString().equals(body));
    }

    /** Matches only requests whose body is exactly these bytes. */
    public Stubbing withBody(byte[] body) {
        byte[] expected = body.clone();
        return with("body of " + expected.length + " bytes", r -> Arrays.equals(r.body(), expected));
    }

    /** Matches only requests whose body, as text, contains {@code part}. */
    public Stubbing withBodyContaining(String part) {
        Objects.requireNonNull(part, "part");
        return with("body containing " + quote(part), r -> r.bodyAsString().contains(part));
    }

    /** Matches only requests that {@code condition} accepts; {@code description} names it in messages. */
    public Stubbing matching(String description, Predicate<RecordedRequest> condition) {
        return with(description, Objects.requireNonNull(condition, "condition"));
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
        return respond(MockResponse.status(status));
    }

    /** Registers the stub answering with {@code status} and a text body of the given type. */
    public Stub respond(int status, String contentType, String body) {
        return respond(MockResponse.status(status).withBody(contentType, body));
    }

    /**
     * Registers the stub computing each answer from the request (on the connection's virtual thread;
     * blocking is fine). An exception thrown here answers 500 and fails the test with the extension.
     */
    public Stub respondWith(Function<RecordedRequest, MockResponse> answer) {
        Objects.requireNonNull(answer, "answer");
        String description = described.isEmpty() ? target : target + " (" + String.join(", ", described) + ")";
        Stub stub = new Stub(server, description, conditions, answer, times);
        server.add(stub);
        return stub;
    }

    private Stubbing with(String what, Predicate<RecordedRequest> condition) {
        described.add(what);
        conditions.add(condition);
        return this;
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
}
