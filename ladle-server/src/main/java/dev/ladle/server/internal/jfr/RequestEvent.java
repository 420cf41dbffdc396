package dev.ladle.server.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One HTTP request, from the moment the server began to read it until its response was written (or the
 * exchange was cut short). Disabled by default: enable {@value #NAME} in a recording.
 */
@Name(RequestEvent.NAME)
@Label("HTTP Request")
@Category({"Ladle", "HTTP"})
@Description("An HTTP request served by a Ladle server, from reading its head to writing its response")
@Enabled(false)
@StackTrace(false)
public final class RequestEvent extends Event {
    /** The event's name, as a recording's settings enable it. */
    public static final String NAME = "dev.ladle.Request";

    /** Tells whether the event type is enabled now; an instance is needed for {@link Event#isEnabled()}. */
    private static final RequestEvent PROBE = new RequestEvent();

    /** The request method. */
    @Label("Method")
    public String method;

    /** The request target's path, or the raw target when it could not be parsed. */
    @Label("Path")
    public String path;

    /** The protocol version, such as {@code HTTP/1.1} or {@code HTTP/2}. */
    @Label("Protocol")
    public String protocol;

    /** The response status, or 0 when none was decided. */
    @Label("Status")
    public int status;

    /** The request body's declared length ({@code Content-Length}), or -1 when not declared. */
    @Label("Request Content Length")
    @DataAmount
    public long requestContentLength;

    /** The response body's length as framed, or -1 when it was not known in advance (chunked, streamed). */
    @Label("Response Content Length")
    @DataAmount
    public long responseContentLength;

    /** True when the exchange was cut short by an I/O error or the client leaving. */
    @Label("Aborted")
    public boolean aborted;

    /**
     * Returns a begun event when the event type is enabled in a running recording, else null: the
     * disabled case allocates nothing.
     */
    public static RequestEvent beginIfEnabled() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        RequestEvent event = new RequestEvent();
        event.begin();
        return event;
    }
}
