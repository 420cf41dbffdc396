package dev.ladle.auth;

import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.lang.reflect.Proxy;
import java.net.URI;

/**
 * A request as the auth step sees it (method, URI, headers; a status and response headers to write),
 * for unit tests of the domains' logic apart from the engine. Only the members the domains use work;
 * the rest throw.
 */
final class TestMessage {
    final String method;
    final URI uri;
    final boolean optionsPing;
    final MessageHeaders requestHeaders = new MessageHeaders();
    final MessageHeaders responseHeaders = new MessageHeaders();
    int status;
    final ServerMessage msg;

    private TestMessage(String method, URI uri, boolean optionsPing) {
        this.method = method;
        this.uri = uri;
        this.optionsPing = optionsPing;
        this.msg = (ServerMessage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerMessage.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getUri" -> uri;
                    case "isOptionsPing" -> optionsPing;
                    case "getRequestHeaders" -> requestHeaders;
                    case "getResponseHeaders" -> responseHeaders;
                    case "getStatus" -> status;
                    case "getReasonPhrase" -> status == 0 ? null : Status.phrase(status);
                    case "setStatus" -> {
                        status = (Integer) args[0];
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> method + " " + uri;
                    default -> throw new AssertionError("not used by auth domains: " + m.getName());
                });
    }

    /** A request for {@code target} (origin form) on {@code http://example.org}. */
    static TestMessage get(String target) {
        return request("GET", target);
    }

    /** A {@code method} request for {@code target} (origin form) on {@code http://example.org}. */
    static TestMessage request(String method, String target) {
        return new TestMessage(method, URI.create("http://example.org" + target), false);
    }

    /** {@code OPTIONS *}. */
    static TestMessage optionsPing() {
        return new TestMessage("OPTIONS", URI.create("http://example.org/"), true);
    }

    /** Adds a request header; returns this. */
    TestMessage with(String name, String value) {
        requestHeaders.append(name, value);
        return this;
    }
}
