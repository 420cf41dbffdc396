package dev.ladle.websocket;

import java.io.IOException;
import java.util.Map;

/**
 * A WebSocket extension negotiated in the handshake (RFC 6455 section 9), transforming whole messages.
 * Each connection that negotiates the extension gets its own instance, created through the public
 * no-argument constructor of the class registered with {@code Server.addWebSocketExtension}.
 *
 * <p>Parameters are maps from name to value, in order; a parameter without a value (such as
 * {@code server_no_context_takeover}) maps to {@code null}.
 *
 * <p>Threading: the connection calls {@link #processOutgoingMessage} under its send lock, in the order
 * the messages go on the wire, and {@link #processIncomingMessage} on its reader thread, so an
 * implementation needs no locking of its own.
 */
public abstract class WebSocketExtension {
    /** The RSV1 bit of a frame's first byte. */
    public static final int RSV1 = 0x40;
    /** The RSV2 bit of a frame's first byte. */
    public static final int RSV2 = 0x20;
    /** The RSV3 bit of a frame's first byte. */
    public static final int RSV3 = 0x10;

    /** Creates an extension instance. */
    protected WebSocketExtension() {
    }

    /**
     * A message as an extension sees it: the reserved bits of its first frame and its payload.
     *
     * @param reservedBits a combination of {@link #RSV1}, {@link #RSV2} and {@link #RSV3}
     * @param payload the message payload (not copied)
     */
    public record Message(int reservedBits, byte[] payload) {
    }

    /** Returns the extension token, for example {@code permessage-deflate}; compared case-insensitively. */
    public abstract String getName();

    /**
     * Configures this instance from the peer's parameters: on a server, from one offer in the client's
     * {@code Sec-WebSocket-Extensions}; on a client, from the server's response.
     *
     * @param type which end this instance serves
     * @param params the parameters received; a valueless parameter maps to null
     * @throws IllegalArgumentException when the parameters are invalid or cannot be honoured: a server
     *     then declines this offer (the handshake goes on without it); a client must fail the connection
     */
    public abstract void configure(ConnectionType type, Map<String, String> params);

    /** Returns the parameters a client offers in its request; by default none. */
    public Map<String, String> getRequestParams() {
        return Map.of();
    }

    /** Returns the parameters a server answers with, once {@link #configure} accepted an offer; by default none. */
    public Map<String, String> getResponseParams() {
        return Map.of();
    }

    /**
     * Transforms a message before it is sent, for example compressing it and setting {@link #RSV1}.
     * Control frames are not passed through extensions.
     *
     * @param type the message's type
     * @param message the message so far (reserved bits clear unless an earlier extension set some)
     * @return the message to send
     * @throws IOException when the message cannot be processed (the connection fails)
     */
    public abstract Message processOutgoingMessage(DataType type, Message message) throws IOException;

    /**
     * Transforms a received message, undoing what the peer's extension did and clearing the reserved
     * bits it consumed. Any reserved bit left set after all extensions is a protocol error.
     *
     * @param type the message's type
     * @param message the message as received, fragments joined
     * @param maxPayloadSize the largest result allowed, 0 for no limit: an implementation that expands
     *     data must stop at this size and throw a {@link WebSocketException} with {@link CloseCode#TOO_BIG}
     * @return the message as the peer's application sent it
     * @throws WebSocketException with the close code to fail the connection with
     * @throws IOException when the message cannot be processed (the connection fails with
     *     {@link CloseCode#PROTOCOL_ERROR})
     */
    public abstract Message processIncomingMessage(DataType type, Message message, long maxPayloadSize)
            throws IOException;

    /** Releases what the instance holds (such as native compression state); called once the connection closed. */
    public void close() {
    }
}
