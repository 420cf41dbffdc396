package dev.ladle.websocket;

import java.io.IOException;

/**
 * A WebSocket protocol failure with the close code it calls for: a violation by the peer
 * ({@link CloseCode#PROTOCOL_ERROR}), bad data ({@link CloseCode#BAD_DATA}), an oversized message
 * ({@link CloseCode#TOO_BIG}) and so on. Delivered to {@link WebSocketConnection#onError} listeners;
 * extensions throw it to ask for a specific close code.
 */
public class WebSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The close code the failure calls for. */
    private final int closeCode;

    /**
     * Creates an exception.
     *
     * @param closeCode the close code to close the connection with, see {@link CloseCode}
     * @param message what went wrong
     */
    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** Returns the close code the failure calls for. */
    public int getCloseCode() {
        return closeCode;
    }
}
