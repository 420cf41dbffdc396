package dev.ladle.server.internal;

import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.http.Tokens;
import dev.ladle.server.ServerMessage;
import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.ConnectionType;
import dev.ladle.websocket.WebSocketConnection;
import dev.ladle.websocket.WebSocketExtension;
import dev.ladle.websocket.WebSocketState;
import dev.ladle.websocket.internal.ExtensionHeader;
import dev.ladle.websocket.internal.HandshakeKeys;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WebSocket step of the request pipeline (RFC 6455 section 4.2): {@link #check} validates the
 * opening handshake and answers it, {@link #run} turns the connection into a {@link WebSocketConnection}
 * once the {@code 101} went out.
 *
 * <p>Checks, in libsoup's order: GET over HTTP/1.1 with {@code Upgrade: websocket} and
 * {@code Connection: upgrade} (else 400); {@code Sec-WebSocket-Version: 13} (else 400 carrying
 * {@code Sec-WebSocket-Version: 13}); a key that is base64 for 16 bytes (else 400); the origin when the
 * handler names one, case-insensitively (else 403); a sub-protocol the handler speaks when the client
 * offers any, the handler's most preferred winning (else 400); a {@code Sec-WebSocket-Extensions}
 * that parses (else 400). Extension offers that no registered type accepts are declined, not fatal.
 * A valid handshake while the server drains gets 503. Every refusal carries a short plain-text reason
 * and {@code Connection: close}.
 */
public final class WebSocketUpgrade {
    private static final System.Logger LOG = System.getLogger(WebSocketUpgrade.class.getName());
    private static final String EXTENSIONS = "Sec-WebSocket-Extensions";
    private static final String PROTOCOL = "Sec-WebSocket-Protocol";

    private final HandlerEntry.WebSocketEndpoint endpoint;
    private final String protocol;
    private final List<WebSocketExtension> extensions;
    private volatile WebSocketConnection connection;
    /** Set by {@link #goingAway()}: also tells a connection that does not exist yet. */
    private volatile boolean shuttingDown;

    private WebSocketUpgrade(HandlerEntry.WebSocketEndpoint endpoint, String protocol, List<WebSocketExtension> extensions) {
        this.endpoint = endpoint;
        this.protocol = protocol;
        this.extensions = extensions;
    }

    /**
     * Validates the handshake in {@code msg} and sets the response: {@code 101} with the upgrade
     * headers on success, a refusal otherwise.
     *
     * @param extensionTypes the extension types the server accepts, in order of preference
     * @param draining true while the server drains: a valid handshake then gets {@code 503}, which a
     *     balancer may retry on another instance (HAProxy's {@code retry-on 503}, nginx's
     *     {@code proxy_next_upstream http_503}), where a session accepted here would at once be told 1001
     * @return the accepted upgrade, or null when the handshake was refused
     */
    public static WebSocketUpgrade check(ServerMessage msg, HandlerEntry.WebSocketEndpoint endpoint,
                                         List<Class<? extends WebSocketExtension>> extensionTypes, boolean draining) {
        MessageHeaders request = msg.getRequestHeaders();
        boolean overHttp2 = msg.getHttpVersion() == HttpVersion.HTTP_2;
        if (overHttp2 ? !isExtendedConnect(msg)
                : !"GET".equals(msg.getMethod()) || msg.getHttpVersion() != HttpVersion.HTTP_1_1
                || !request.headerContains("Upgrade", "websocket") || !request.headerContains("Connection", "upgrade")) {
            return refuse(msg, Status.BAD_REQUEST, "WebSocket handshake expected");
        }
        if (!"13".equals(trim(request.getList("Sec-WebSocket-Version")))) {
            msg.getResponseHeaders().replace("Sec-WebSocket-Version", "13");
            return refuse(msg, Status.BAD_REQUEST, "Unsupported WebSocket version");
        }
        // RFC 8441 section 5: over HTTP/2 there is no key, and no accept value answers it
        String key = trim(request.getList("Sec-WebSocket-Key"));
        if (!overHttp2 && !HandshakeKeys.isValidKey(key)) {
            return refuse(msg, Status.BAD_REQUEST, "Invalid WebSocket key");
        }
        String origin = request.getOne("Origin");
        if (endpoint.origin() != null && (origin == null || !endpoint.origin().equalsIgnoreCase(origin.trim()))) {
            return refuse(msg, Status.FORBIDDEN, "Incorrect WebSocket origin");
        }
        String offered = request.getList(PROTOCOL);
        String chosen = null;
        if (offered != null) {
            List<String> protocols = protocolList(offered);
            if (protocols == null) {
                return refuse(msg, Status.BAD_REQUEST, "Invalid WebSocket subprotocol header");
            }
            if (endpoint.protocols() != null && !endpoint.protocols().isEmpty()) {
                chosen = endpoint.protocols().stream().filter(protocols::contains).findFirst().orElse(null);
                if (chosen == null) {
                    return refuse(msg, Status.BAD_REQUEST, "Unsupported WebSocket subprotocol");
                }
            }
        }
        List<WebSocketExtension> accepted;
        try {
            String header = request.getList(EXTENSIONS);
            accepted = header == null ? List.of() : negotiate(ExtensionHeader.parse(header), extensionTypes);
        } catch (IllegalArgumentException e) {
            return refuse(msg, Status.BAD_REQUEST, "Invalid WebSocket extensions header");
        }
        if (draining) {
            return refuse(msg, Status.SERVICE_UNAVAILABLE, "Server draining; connect again");
        }
        accept(msg, key, chosen, accepted);
        return new WebSocketUpgrade(endpoint, chosen, accepted);
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    /** Returns the comma-separated tokens of {@code value}, or null when one is empty or not a token. */
    private static List<String> protocolList(String value) {
        List<String> protocols = new ArrayList<>();
        for (String element : value.split(",", -1)) {
            String p = element.trim();
            if (!Tokens.isToken(p)) {
                return null;
            }
            protocols.add(p);
        }
        return protocols;
    }

    /**
     * Accepts, for each offer in the client's order, the first registered type of that name whose
     * {@code configure} takes the offer's parameters; at most one instance per extension name.
     */
    private static List<WebSocketExtension> negotiate(List<ExtensionHeader.Element> offers,
                                                      List<Class<? extends WebSocketExtension>> types) {
        List<WebSocketExtension> accepted = new ArrayList<>();
        List<String> acceptedNames = new ArrayList<>();
        for (ExtensionHeader.Element offer : offers) {
            String name = offer.name().toLowerCase(Locale.ROOT);
            if (offer.repeatedParam() || acceptedNames.contains(name)) {
                continue;
            }
            for (Class<? extends WebSocketExtension> type : types) {
                WebSocketExtension extension = instantiate(type);
                if (extension == null || !extension.getName().equalsIgnoreCase(name)) {
                    continue;
                }
                try {
                    extension.configure(ConnectionType.SERVER, offer.params());
                } catch (IllegalArgumentException declined) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "declined WebSocket extension offer " + offer + ": "
                            + declined.getMessage());
                    extension.close();
                    continue;
                }
                accepted.add(extension);
                acceptedNames.add(name);
                break;
            }
        }
        return List.copyOf(accepted);
    }

    private static WebSocketExtension instantiate(Class<? extends WebSocketExtension> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot create WebSocket extension " + type.getName(), e);
            return null;
        }
    }

    /** An RFC 8441 extended CONNECT: {@code :method CONNECT} with {@code :protocol websocket}. */
    private static boolean isExtendedConnect(ServerMessage msg) {
        return "CONNECT".equals(msg.getMethod()) && msg instanceof Exchange ex
                && "websocket".equalsIgnoreCase(ex.connectProtocol);
    }

    /** Returns true when the handshake's answer in {@code msg} accepted the upgrade (101, or 200 over HTTP/2). */
    public boolean accepted(ServerMessage msg) {
        return msg.getStatus() == (msg.getHttpVersion() == HttpVersion.HTTP_2 ? Status.OK : Status.SWITCHING_PROTOCOLS);
    }

    private static void accept(ServerMessage msg, String key, String protocol, List<WebSocketExtension> extensions) {
        MessageHeaders response = msg.getResponseHeaders();
        if (msg.getHttpVersion() == HttpVersion.HTTP_2) {
            // RFC 8441 section 5: a 2xx opens the stream as the WebSocket's byte stream
            msg.setStatus(Status.OK);
        } else {
            msg.setStatus(Status.SWITCHING_PROTOCOLS);
            response.replace("Upgrade", "websocket");
            response.replace("Connection", "Upgrade");
            response.replace("Sec-WebSocket-Accept", HandshakeKeys.accept(key));
        }
        if (protocol != null) {
            response.replace(PROTOCOL, protocol);
        }
        if (!extensions.isEmpty()) {
            // An application's own Sec-WebSocket-Extensions survives only when nothing was negotiated (libsoup).
            StringBuilder value = new StringBuilder();
            for (WebSocketExtension extension : extensions) {
                if (!value.isEmpty()) {
                    value.append(", ");
                }
                value.append(ExtensionHeader.format(extension.getName(), extension.getResponseParams()));
            }
            response.replace(EXTENSIONS, value.toString());
        }
    }

    private static WebSocketUpgrade refuse(ServerMessage msg, int status, String reason) {
        msg.setStatus(status);
        msg.setResponse("text/plain; charset=utf-8", (reason + "\n").getBytes(StandardCharsets.UTF_8));
        msg.getResponseHeaders().replace("Connection", "close");
        return null;
    }

    /** Returns the negotiated sub-protocol, or null. */
    public String protocol() {
        return protocol;
    }

    /** Returns the negotiated extensions, configured. */
    public List<WebSocketExtension> extensions() {
        return extensions;
    }

    /**
     * Runs the connection after the {@code 101} was written and flushed: creates the
     * {@link WebSocketConnection}, hands it to the handler's callback, then reads frames on the calling
     * thread until the connection closed. The caller closes the socket afterwards (closing it twice is
     * harmless).
     *
     * @param state the server's state, whose statistics count the connection while it is open
     * @param in the connection's input, starting with any bytes the client sent after its handshake
     */
    public void run(ServerState state, ServerMessage msg, String path, InputStream in, OutputStream out, Closeable closer) {
        String origin = msg.getRequestHeaders().getOne("Origin");
        WebSocketConnection conn = new WebSocketConnection(in, out, closer, webSocketUri(msg.getUri()),
                ConnectionType.SERVER, origin, protocol, extensions);
        connection = conn;
        // the closed event runs once, also for a connection whose reader parked and resumed elsewhere
        state.counters.webSocketsOpen.increment();
        conn.onClosed(state.counters.webSocketsOpen::decrement);
        try {
            endpoint.callback().handle(state.server, msg, path, conn);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket handler for " + path + " failed", e);
            conn.close(CloseCode.SERVER_ERROR, "handler failed");
        }
        if (shuttingDown) {
            // the server began to close before this connection existed
            goingAway();
        }
        conn.run();
    }

    /**
     * Starts the closing handshake with {@link CloseCode#GOING_AWAY} when the connection is open (for a
     * server that shuts down); the reading thread then ends within the connection's close timeout.
     */
    public void goingAway() {
        shuttingDown = true;
        WebSocketConnection conn = connection;
        if (conn != null && conn.getState() == WebSocketState.OPEN) {
            conn.close(CloseCode.GOING_AWAY, "server shutting down");
        }
    }

    /** The handshake's URI with {@code ws} or {@code wss} for {@code http} or {@code https}. */
    private static URI webSocketUri(URI uri) {
        if (uri == null || uri.getScheme() == null) {
            return uri;
        }
        String scheme = uri.getScheme().equalsIgnoreCase("https") ? "wss"
                : uri.getScheme().equalsIgnoreCase("http") ? "ws" : uri.getScheme();
        try {
            return new URI(scheme + uri.toString().substring(uri.getScheme().length()));
        } catch (URISyntaxException e) {
            return uri;
        }
    }
}
