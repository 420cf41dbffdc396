package dev.ladle.httpd;

import dev.ladle.http.Status;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.ServerStatistics;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code --metrics PATH} handler: answers GET and HEAD with the server's {@link ServerStatistics} in
 * the Prometheus text exposition format, version 0.0.4 ({@code # HELP} and {@code # TYPE} lines, then
 * samples; counters end in {@code _total}). The figures are read when the scrape arrives, so the scrape's
 * own response is not in it yet.
 */
final class PrometheusMetrics implements ServerCallback {
    /** The media type of the text format; Prometheus sends it in its Accept header. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String ALLOWED = "GET, HEAD";

    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        String method = msg.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Responses.methodNotAllowed(msg, ALLOWED);
            return;
        }
        msg.getResponseHeaders().replace("Cache-Control", "no-store");
        msg.setResponse(CONTENT_TYPE, format(server.getStatistics()).getBytes(StandardCharsets.UTF_8));
        msg.setStatus(Status.OK);
    }

    /** Writes {@code s} in the text format; each family once, with its help and type. */
    static String format(ServerStatistics s) {
        StringBuilder out = new StringBuilder(2048);
        gauge(out, "ladle_connections_open", "Client connections open now.", s.getConnectionsOpen());
        counter(out, "ladle_connections_accepted_total", "Client connections accepted.", s.getConnectionsAccepted());
        family(out, "ladle_connections_refused_total", "counter", "Connections refused by a connection cap, by cap.");
        sample(out, "ladle_connections_refused_total{limit=\"server\"}", s.getConnectionsRefusedByServerLimit());
        sample(out, "ladle_connections_refused_total{limit=\"address\"}", s.getConnectionsRefusedByAddressLimit());
        family(out, "ladle_requests_total", "counter", "Responses written completely, by status class.");
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            sample(out, "ladle_requests_total{class=\"" + statusClass + "xx\"}", s.getResponses(statusClass));
        }
        counter(out, "ladle_requests_aborted_total", "Exchanges cut short by an I/O error or the client leaving.",
                s.getRequestsAborted());
        counter(out, "ladle_requests_refused_by_body_budget_total",
                "Requests answered 503 because their body did not fit in the body memory budget.",
                s.getRequestsRefusedByBodyBudget());
        counter(out, "ladle_response_timeouts_total", "Requests answered 503 by the response timeout.",
                s.getResponseTimeouts());
        counter(out, "ladle_request_body_bytes_total", "Request body bytes read (content, without framing).",
                s.getRequestBodyBytesRead());
        counter(out, "ladle_response_body_bytes_total",
                "Response body bytes written (after content coding, without framing).", s.getResponseBodyBytesWritten());
        gauge(out, "ladle_request_body_bytes_held", "Request body bytes held in memory now.", s.getRequestBodyBytesHeld());
        gauge(out, "ladle_websockets_open", "WebSocket connections open now.", s.getWebSocketsOpen());
        counter(out, "ladle_tls_handshake_failures_total", "TLS handshakes that failed or timed out.",
                s.getTlsHandshakeFailures());
        counter(out, "ladle_accept_failures_total", "Failed accept calls on the listeners.", s.getAcceptFailures());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        family(out, name, "counter", help);
        sample(out, name, value);
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        family(out, name, "gauge", help);
        sample(out, name, value);
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String nameAndLabels, long value) {
        out.append(nameAndLabels).append(' ').append(value).append('\n');
    }
}
