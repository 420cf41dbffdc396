package dev.ladle.server;

import dev.ladle.server.internal.ServerState;
import java.time.Duration;
import java.util.Objects;

/**
 * The draining half of a {@link Server}: entering the state (and telling the open connections), the
 * grace wait of {@link Server#drain}, the health handler, and the bracket around {@link Server#close()}
 * that ends the state. {@code Server} documents the contract and delegates here; the state itself (read
 * by the connections on every response) is {@link dev.ladle.server.internal.DrainState}. Thread-safe.
 */
final class Draining {
    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final ServerState state;

    Draining(ServerState state) {
        this.state = state;
    }

    /** Enters the draining state, or stays in it, and has every open connection drain. */
    void start() {
        if (state.drain.start()) {
            LOG.log(System.Logger.Level.DEBUG, "draining {0} connections", state.connections.size());
        }
        // connections accepted since an earlier call check the state themselves; calling again is harmless
        state.connections.startDraining();
    }

    /** Returns true from {@link #start()} until the close bracketed by {@link #closing} returned. */
    boolean isDraining() {
        return state.drain.isDraining();
    }

    /**
     * Starts draining, waits out {@code grace} (or less, when a close begins meanwhile), then runs
     * {@code close} whatever happened; an interrupt ends the wait and is set again.
     *
     * @throws IllegalArgumentException when {@code grace} is negative, before anything starts
     */
    void drain(Duration grace, Runnable close) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("drain grace must not be negative, got " + grace);
        }
        start();
        try {
            state.drain.awaitGrace(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close.run();
        }
    }

    /**
     * Runs {@code closeConnections} as a close: a grace wait on another thread stops first, and the
     * server stays draining until the connections are closed, then no longer.
     */
    void closing(Runnable closeConnections) {
        state.drain.closeBegan();
        try {
            closeConnections.run();
        } finally {
            state.drain.ended();
        }
    }

    /**
     * Returns a new health handler for {@code path}: 200 while serving, 503 while draining.
     *
     * @throws IllegalArgumentException when the path does not start with {@code /}
     */
    static ServerCallback healthHandler(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a health check path must start with /, got '" + path + "'");
        }
        return new HealthHandler();
    }
}
