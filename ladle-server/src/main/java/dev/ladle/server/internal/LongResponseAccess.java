package dev.ladle.server.internal;

import dev.ladle.server.ServerMessage;
import dev.ladle.server.Subscription;

/**
 * What {@code dev.ladle.sse} needs of a message beyond its public API: to be told when the server
 * drains or closes, since an event stream is a response that never finishes by itself. This package is
 * not exported; a message that is not the server's own (a test's fake) is never told.
 */
public final class LongResponseAccess {
    private LongResponseAccess() {
    }

    /**
     * Runs {@code end} when the message's server starts draining, disconnects or closes; at once (on this
     * thread) when it is draining already. Closing the result stops that.
     */
    public static Subscription onServerDrain(ServerMessage msg, Runnable end) {
        if (!(msg instanceof Exchange ex)) {
            return () -> { };
        }
        ServerState state = ex.io.state();
        Subscription subscription = state.connections.onDrain(end);
        if (state.drain.isDraining()) {
            end.run();
        }
        return subscription;
    }
}
