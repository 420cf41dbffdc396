package dev.ladle.websocket;

/** The {@code permessage-deflate} extension (RFC 7692). */
public class DeflateExtension extends WebSocketExtension {
    /** Creates an instance for one connection. */
    public DeflateExtension() {
    }

    @Override
    public String getName() {
        return "permessage-deflate";
    }
}
