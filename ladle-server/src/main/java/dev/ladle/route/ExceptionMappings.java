package dev.ladle.route;

import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A router's exception types and how each is answered. A thrown exception is answered by the mapping of
 * its own class or, failing that, of its nearest superclass that has one; interfaces do not count.
 */
final class ExceptionMappings {
    private final Map<Class<?>, ExceptionHandler<Exception>> byType = new ConcurrentHashMap<>();

    <E extends Exception> void put(Class<E> type, ExceptionHandler<? super E> handler) {
        @SuppressWarnings("unchecked") // only ever called with exceptions of type E or its subclasses (see find)
        ExceptionHandler<Exception> h = (ExceptionHandler<Exception>) handler;
        byType.put(type, h);
    }

    /** Returns the handler for {@code type}'s nearest mapped class, or null when none is mapped. */
    ExceptionHandler<Exception> find(Class<?> type) {
        if (byType.isEmpty()) {
            return null;
        }
        for (Class<?> c = type; c != null && c != Throwable.class; c = c.getSuperclass()) {
            ExceptionHandler<Exception> h = byType.get(c);
            if (h != null) {
                return h;
            }
        }
        return null;
    }

    /**
     * The answer of an exception mapped to a status: that status, with the exception's message (or the
     * status's phrase when it has none) as the plain-text body in place of whatever the handler had set.
     */
    static ExceptionHandler<Exception> answerWith(int status) {
        return (e, msg) -> answer(msg, status, e.getMessage() != null ? e.getMessage() : Status.phrase(status));
    }

    private static void answer(ServerMessage msg, int status, String text) {
        MessageHeaders headers = msg.getResponseHeaders();
        // the handler's framing belonged to the body it meant to send
        headers.remove("Content-Length");
        headers.remove("Transfer-Encoding");
        msg.setResponse("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        msg.setStatus(status);
    }
}
