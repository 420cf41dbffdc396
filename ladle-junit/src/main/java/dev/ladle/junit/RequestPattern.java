package dev.ladle.junit;

import java.util.Objects;

/**
 * The requests a verification counts: a method and path, then any of the conditions stubs take.
 *
 * <pre>{@code
 * server.verify(Times.once(), RequestPattern.post("/items").withHeader("Content-Type", containing("json")));
 * server.verify(RequestPattern.get("/items").withQueryParameter("page", "2"));   // at least once
 * }</pre>
 *
 * <p>Unlike a stub's, a {@code GET} pattern counts only {@code GET} requests, not {@code HEAD}.
 */
public final class RequestPattern extends RequestConditions<RequestPattern> {
    private RequestPattern(String method, String path) {
        super(method, path, false);
    }

    private RequestPattern(String method, StringMatcher path) {
        super(method, path, false);
    }

    /**
     * Requests with {@code method} (exact, e.g. {@code "PATCH"}; null for any) to {@code path} (exact,
     * or a prefix ending in {@code /*}).
     */
    public static RequestPattern request(String method, String path) {
        return new RequestPattern(method, path);
    }

    /** Requests with {@code method} (null for any) whose decoded path meets {@code path}. */
    public static RequestPattern request(String method, StringMatcher path) {
        return new RequestPattern(method, path);
    }

    /** {@code GET} requests to {@code path}. */
    public static RequestPattern get(String path) {
        return request("GET", path);
    }

    /** {@code POST} requests to {@code path}. */
    public static RequestPattern post(String path) {
        return request("POST", path);
    }

    /** {@code PUT} requests to {@code path}. */
    public static RequestPattern put(String path) {
        return request("PUT", path);
    }

    /** {@code DELETE} requests to {@code path}. */
    public static RequestPattern delete(String path) {
        return request("DELETE", path);
    }

    /** Requests of any method to {@code path}. */
    public static RequestPattern any(String path) {
        return request(null, path);
    }

    /** Every request. */
    public static RequestPattern anyRequest() {
        return request(null, "/*");
    }

    @Override
    RequestPattern self() {
        return this;
    }

    /** True when {@code request} meets every condition. */
    public boolean matches(RecordedRequest request) {
        Objects.requireNonNull(request, "request");
        return NearMisses.failed(conditions(), request).isEmpty();
    }

    /** What the pattern requires, as failure messages say it. */
    @Override
    public String toString() {
        return describe();
    }
}
