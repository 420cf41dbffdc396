package dev.ladle.examples.guide.handlers;

import dev.ladle.server.Server;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** An access log built from the per-request events: one line per exchange, finished or cut short. */
public final class AccessLog {
    private AccessLog() {
    }

    // tag::log[]
    /** Writes one line per request to {@code out}: method, path, status, body bytes sent, milliseconds. */
    public static void install(Server server, Consumer<String> out) {
        server.onRequestStarted(msg -> {
            long start = System.nanoTime();
            LongAdder sent = new LongAdder();
            msg.onWroteBodyData(sent::add);
            msg.onFinished(() -> out.accept("%s %s %d %d %dms".formatted(msg.getMethod(), msg.getUri().getRawPath(),
                    msg.getStatus(), sent.sum(), (System.nanoTime() - start) / 1_000_000)));
        });
        server.onRequestAborted(msg -> out.accept("aborted: " + msg.getMethod() + " " + msg.getUri().getRawPath()));
    }
    // end::log[]
}
