package dev.ladle.junit;

import dev.ladle.http.Forms;
import dev.ladle.http.MessageBody;
import dev.ladle.http.Status;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.Subscription;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Journals the requests a {@link MockServer}'s handler never sees: those
 * the Ladle server answers by itself (a malformed request, a body over the limit, a plain request to a
 * WebSocket endpoint, an auth challenge) and those a handler the test added to the server answers.
 *
 * <p>Every request gets a {@code WroteHeaders} listener when it starts; the mock's handler calls
 * {@link #seen} for the requests it answers, which removes it (so their responses keep their single
 * write). For the others the listener runs once the status line and headers are written and before
 * the body is, so the request is in the journal before the client can have the whole response. The
 * refusals the server writes always carry a body, which is what makes that hold for them.
 */
final class UnseenRequestWatcher {
    /** What the client of an unseen request got, and whether the test had set that up. */
    record Verdict(int status, String matchedBy, String answeredBy) {
    }

    private static final System.Logger LOG = System.getLogger(UnseenRequestWatcher.class.getName());

    private final Map<ServerMessage, Subscription> watched = new ConcurrentHashMap<>();
    private final Journal journal;

    /**
     * Watches {@code server}'s requests and records each unseen one that was answered in {@code journal},
     * on the connection's thread, before its response body is written. WebSocket handshakes answered
     * {@code 101} are left to the endpoints, which journal them when they take the connection.
     */
    UnseenRequestWatcher(Server server, Journal journal) {
        this.journal = journal;
        server.onRequestStarted(this::started);
        // a request that ends without its head written (the client left) is no longer watched either
        server.onRequestFinished(this::forget);
        server.onRequestAborted(this::forget);
    }

    /** The mock's handler answers {@code msg} itself. */
    void seen(ServerMessage msg) {
        Subscription subscription = watched.remove(msg);
        if (subscription != null) {
            subscription.close();
        }
    }

    private void started(ServerMessage msg) {
        watched.put(msg, msg.onWroteHeaders(() -> {
            if (watched.remove(msg) != null && msg.getStatus() != Status.SWITCHING_PROTOCOLS) {
                try {
                    Verdict verdict = verdict(msg);
                    Journal.Ticket ticket = journal.arrive();
                    journal.record(ticket, copy(ticket, msg).answered(verdict.status(), verdict.matchedBy(),
                            verdict.answeredBy()));
                } catch (RuntimeException e) {
                    // this runs inside the server's response writing, which must not fail for a journal entry
                    LOG.log(System.Logger.Level.WARNING, "could not journal a " + msg.getStatus() + " answer", e);
                }
            }
        }));
    }

    private void forget(ServerMessage msg) {
        watched.remove(msg);
    }

    /** Copies an unseen request: its body only when it was read, its query parameters when they decode. */
    private static RecordedRequest copy(Journal.Ticket ticket, ServerMessage msg) {
        MessageBody body = msg.getRequestBody();
        byte[] bytes = body.getAccumulate() && body.isComplete() ? body.flatten() : new byte[0];
        String rawQuery = msg.getUri().getRawQuery();
        Map<String, String> query = Map.of();
        if (rawQuery != null) {
            try {
                query = Forms.decode(rawQuery);
            } catch (IllegalArgumentException malformed) {
                // journaled without its query parameters; the raw query is still in uri()
            }
        }
        return RecordedRequest.copyOf(ticket.number(), msg, query, bytes);
    }

    /**
     * A challenge from an auth domain the test added, or a success from a handler it added, is an answer
     * the test set up; any other error status is the server refusing the request.
     */
    static Verdict verdict(ServerMessage msg) {
        int status = msg.getStatus();
        if (status == Status.UNAUTHORIZED && msg.getResponseHeaders().getOne("WWW-Authenticate") != null
                || status == Status.PROXY_AUTHENTICATION_REQUIRED
                && msg.getResponseHeaders().getOne("Proxy-Authenticate") != null) {
            String by = "an auth domain's challenge (" + status + ")";
            return new Verdict(status, by, by);
        }
        if (status < Status.BAD_REQUEST) {
            String by = "a handler of the Ladle server, not a stub (" + status + ")";
            return new Verdict(status, by, by);
        }
        return new Verdict(status, null, "refused by the server: " + status + " " + Status.phrase(status));
    }
}
