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
 * One WebSocket message: for a received one, the time its listeners took; for a sent one, the time its
 * frames took to write. Disabled by default: enable {@value #NAME} in a recording.
 */
@Name(WebSocketMessageEvent.NAME)
@Label("WebSocket Message")
@Category({"Ladle", "WebSocket"})
@Description("A WebSocket message received (its delivery to listeners) or sent (its writing)")
@Enabled(false)
@StackTrace(false)
public final class WebSocketMessageEvent extends Event {
    /** The event's name, as a recording's settings enable it. */
    public static final String NAME = "dev.ladle.WebSocketMessage";

    /** Tells whether the event type is enabled now; an instance is needed for {@link Event#isEnabled()}. */
    private static final WebSocketMessageEvent PROBE = new WebSocketMessageEvent();

    /** True for a message sent, false for one received. */
    @Label("Sent")
    public boolean sent;

    /** {@code TEXT} or {@code BINARY}. */
    @Label("Type")
    public String type;

    /** The message's payload size, before compression for one sent and after decompression for one received. */
    @Label("Size")
    @DataAmount
    public long size;

    /**
     * Returns a begun event when the event type is enabled in a running recording, else null: the
     * disabled case allocates nothing.
     */
    public static WebSocketMessageEvent beginIfEnabled() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        WebSocketMessageEvent event = new WebSocketMessageEvent();
        event.begin();
        return event;
    }
}
