package dev.ladle.junit;

import dev.ladle.server.Server;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket endpoints of a {@link MockServer}, one per path, each a handler of the server
 * underneath that journals the handshakes it accepts. Thread-safe.
 */
final class WebSocketEndpoints {
    private final Server server;
    private final Journal journal;
    private final Map<String, MockWebSocket> endpoints = new ConcurrentHashMap<>();

    WebSocketEndpoints(Server server, Journal journal) {
        this.server = server;
        this.journal = journal;
    }

    /** The endpoint at {@code path}, made and added to the server on first use. */
    MockWebSocket at(String path) {
        return endpoints.computeIfAbsent(path, p -> {
            MockWebSocket endpoint = new MockWebSocket(p);
            server.addWebSocketHandler(p, null, null, (srv, msg, at, connection) -> {
                Journal.Ticket ticket = journal.arrive();
                journal.record(ticket, RecordedRequest.copyOf(ticket.number(), msg, Map.of(), new byte[0])
                        .answered(101, "websocket " + p, null));
                endpoint.accept(connection);
            });
            return endpoint;
        });
    }

    /** Takes every endpoint off the server and closes its connections. */
    void removeAll() {
        for (MockWebSocket endpoint : endpoints.values()) {
            server.removeHandler(endpoint.path());
            endpoint.closeAll();
        }
        endpoints.clear();
    }

    /** Forgets the endpoints of a server that is closed (its connections went with it). */
    void forget() {
        endpoints.clear();
    }
}
