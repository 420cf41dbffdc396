package dev.ladle.server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Server} on an ephemeral 127.0.0.1 port for the tests of how a server ends its connections
 * (closing, draining) on either protocol: {@code /} answers 200 {@code ok} at once, {@code /slow}
 * answers 200 {@code slow done} only once the test {@linkplain #releaseSlow() releases} it (at the
 * latest after 30 s), so that a request is surely in flight. {@link #close()} releases it and closes
 * the server.
 */
public final class SlowRequestServer implements AutoCloseable {
    private static final long RELEASE_SECONDS = 30;

    private final Server server = new Server();
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final URI uri;

    private SlowRequestServer(Limits limits, Consumer<Server> setup) throws IOException {
        server.setLimits(limits);
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "ok".getBytes(StandardCharsets.UTF_8));
        });
        server.addHandler("/slow", (s, msg, path, query) -> {
            slowStarted.countDown();
            try {
                releaseSlow.await(RELEASE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            msg.setStatus(200);
            msg.setResponse("text/plain", "slow done".getBytes(StandardCharsets.UTF_8));
        });
        setup.accept(server);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        uri = server.getUris().get(0);
    }

    /** Starts a server with {@code limits}, the two handlers, and whatever {@code setup} adds. */
    public static SlowRequestServer start(Limits limits, Consumer<Server> setup) throws IOException {
        return new SlowRequestServer(limits, setup);
    }

    /** Starts a server with the default limits and the two handlers. */
    public static SlowRequestServer start() throws IOException {
        return start(new Limits(), s -> { });
    }

    public Server server() {
        return server;
    }

    public URI uri() {
        return uri;
    }

    public int port() {
        return uri.getPort();
    }

    /** Waits up to {@code timeout} for the {@code /slow} handler to start; true when it did. */
    public boolean awaitSlowStarted(Duration timeout) throws InterruptedException {
        return slowStarted.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the {@code /slow} handler answer. */
    public void releaseSlow() {
        releaseSlow.countDown();
    }

    @Override
    public void close() {
        releaseSlow();
        server.close();
    }
}
