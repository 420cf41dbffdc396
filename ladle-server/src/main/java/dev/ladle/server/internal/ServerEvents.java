package dev.ladle.server.internal;

import dev.ladle.server.ServerMessage;

/** The server-level events the engine emits; {@code Server} implements them by calling its protected methods. */
public interface ServerEvents {
    /** A request began (its first byte arrived, or the connection was accepted). */
    void requestStarted(ServerMessage msg);

    /** The request headers and body were read. */
    void requestRead(ServerMessage msg);

    /** The response was written completely. */
    void requestFinished(ServerMessage msg);

    /** The exchange was cut short by an I/O error or the client leaving. */
    void requestAborted(ServerMessage msg);
}
