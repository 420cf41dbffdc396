package dev.ladle.server.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One client connection, from its acceptance until it ended (or was stolen from the server). Disabled by
 * default: enable {@value #NAME} in a recording.
 */
@Name(ConnectionEvent.NAME)
@Label("HTTP Connection")
@Category({"Ladle", "HTTP"})
@Description("A client connection served by a Ladle server, from accept to close")
@Enabled(false)
@StackTrace(false)
public final class ConnectionEvent extends Event {
    /** The event's name, as a recording's settings enable it. */
    public static final String NAME = "dev.ladle.Connection";

    /** Tells whether the event type is enabled now; an instance is needed for {@link Event#isEnabled()}. */
    private static final ConnectionEvent PROBE = new ConnectionEvent();

    /** The client's address, or null when the transport has none. */
    @Label("Remote Address")
    public String remoteAddress;

    /** True for a TLS connection. */
    @Label("Secure")
    public boolean secure;

    /** True when the connection spoke HTTP/2. */
    @Label("HTTP/2")
    public boolean http2;

    /** True when a handler took the connection over ({@code ServerMessage.steal}). */
    @Label("Stolen")
    public boolean stolen;

    /**
     * Returns a begun event when the event type is enabled in a running recording, else null: the
     * disabled case allocates nothing.
     */
    public static ConnectionEvent beginIfEnabled() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        ConnectionEvent event = new ConnectionEvent();
        event.begin();
        return event;
    }
}
