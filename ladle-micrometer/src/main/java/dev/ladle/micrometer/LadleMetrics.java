package dev.ladle.micrometer;

import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.ServerStatistics;
import dev.ladle.server.Subscription;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link Server}'s {@link ServerStatistics} and a request timer to a Micrometer
 * {@link MeterRegistry}:
 * <ul>
 *   <li>gauges {@code ladle.connections.open}, {@code ladle.websockets.open},
 *       {@code ladle.request.body.bytes.held};</li>
 *   <li>function counters {@code ladle.connections.accepted}, {@code ladle.connections.refused}
 *       (tag {@code limit}: {@code server}, {@code address}), {@code ladle.responses} (tag {@code class}:
 *       {@code 1xx} to {@code 5xx}), {@code ladle.requests.aborted}, {@code ladle.request.body.bytes},
 *       {@code ladle.response.body.bytes}, {@code ladle.tls.handshake.failures},
 *       {@code ladle.response.timeouts};</li>
 *   <li>the timer {@code ladle.requests} (tags {@code method} and {@code class}), from the server's
 *       RequestStarted event to its RequestFinished event; aborted exchanges are not timed.</li>
 * </ul>
 * The counters read the statistics when the registry publishes, so binding costs the server nothing per
 * request; the timer costs a map entry and a clock read per request. {@link #close()} removes the timer's
 * listeners from the server (the meters stay in the registry). Thread-safe.
 */
public final class LadleMetrics implements MeterBinder, AutoCloseable {
    /** The timer's name. */
    public static final String REQUEST_TIMER = "ladle.requests";
    /** Methods other than these are tagged {@code OTHER}, so that clients cannot make tags without end. */
    private static final List<String> KNOWN_METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "CONNECT", "TRACE");
    /** The status classes a response may have: a status is 100 to 999, so 1xx to 9xx. */
    private static final int STATUS_CLASSES = 9;

    private final Server server;
    private final Tags tags;
    private final Map<ServerMessage, Long> started = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * Prepares the metrics of {@code server}; nothing is registered before {@link #bindTo}.
     *
     * @param server the server to measure
     * @param tags tags added to every meter (for example the server's name), or none
     */
    public LadleMetrics(Server server, Iterable<Tag> tags) {
        this.server = Objects.requireNonNull(server, "server");
        this.tags = Tags.of(tags);
    }

    /** Prepares the metrics of {@code server} without extra tags. */
    public LadleMetrics(Server server) {
        this(server, Tags.empty());
    }

    /** Registers the meters in {@code registry} and starts timing requests. Bind to one registry. */
    @Override
    public void bindTo(MeterRegistry registry) {
        ServerStatistics s = server.getStatistics();
        gauge(registry, "ladle.connections.open", "Client connections open now", s, ServerStatistics::getConnectionsOpen);
        gauge(registry, "ladle.websockets.open", "WebSocket connections open now", s, ServerStatistics::getWebSocketsOpen);
        gauge(registry, "ladle.request.body.bytes.held", "Request body bytes held in memory now", s,
                ServerStatistics::getRequestBodyBytesHeld);
        counter(registry, "ladle.connections.accepted", "Client connections accepted", Tags.empty(), s,
                ServerStatistics::getConnectionsAccepted);
        counter(registry, "ladle.connections.refused", "Connections refused by a connection cap", Tags.of("limit", "server"),
                s, ServerStatistics::getConnectionsRefusedByServerLimit);
        counter(registry, "ladle.connections.refused", "Connections refused by a connection cap", Tags.of("limit", "address"),
                s, ServerStatistics::getConnectionsRefusedByAddressLimit);
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            int c = statusClass;
            counter(registry, "ladle.responses", "Responses written completely, by status class",
                    Tags.of("class", c + "xx"), s, stats -> stats.getResponses(c));
        }
        counter(registry, "ladle.requests.aborted", "Exchanges cut short", Tags.empty(), s, ServerStatistics::getRequestsAborted);
        counter(registry, "ladle.request.body.bytes", "Request body bytes read", Tags.empty(), s,
                ServerStatistics::getRequestBodyBytesRead);
        counter(registry, "ladle.response.body.bytes", "Response body bytes written", Tags.empty(), s,
                ServerStatistics::getResponseBodyBytesWritten);
        counter(registry, "ladle.tls.handshake.failures", "TLS handshakes that failed", Tags.empty(), s,
                ServerStatistics::getTlsHandshakeFailures);
        counter(registry, "ladle.response.timeouts", "Requests answered 503 by the response timeout", Tags.empty(), s,
                ServerStatistics::getResponseTimeouts);
        counter(registry, "ladle.requests.refused.body.budget", "Requests refused because the request-body memory budget was spent",
                Tags.empty(), s, ServerStatistics::getRequestsRefusedByBodyBudget);
        counter(registry, "ladle.accept.failures", "Failed accept calls on the listeners", Tags.empty(), s,
                ServerStatistics::getAcceptFailures);
        subscriptions.add(server.onRequestStarted(msg -> started.put(msg, System.nanoTime())));
        // one timer per method tag and class, registered on first use: a request records, it does not look up
        AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>((KNOWN_METHODS.size() + 1) * STATUS_CLASSES);
        subscriptions.add(server.onRequestFinished(msg -> finished(registry, timers, msg)));
        subscriptions.add(server.onRequestAborted(started::remove));
    }

    private void finished(MeterRegistry registry, AtomicReferenceArray<Timer> timers, ServerMessage msg) {
        Long start = started.remove(msg);
        if (start == null) {
            return; // started before this binder listened
        }
        long elapsed = System.nanoTime() - start;
        int method = KNOWN_METHODS.indexOf(msg.getMethod());
        if (method < 0) {
            method = KNOWN_METHODS.size();
        }
        int statusClass = msg.getStatus() / 100;
        int slot = method * STATUS_CLASSES + statusClass - 1;
        Timer timer = timers.get(slot);
        if (timer == null) {
            // two threads may both register: the registry returns the same timer to each
            timer = timer(registry, method, statusClass);
            timers.set(slot, timer);
        }
        timer.record(elapsed, TimeUnit.NANOSECONDS);
    }

    /** Registers (or finds) the timer of a method's index in {@link #KNOWN_METHODS} (its size: OTHER) and a class. */
    private Timer timer(MeterRegistry registry, int method, int statusClass) {
        return Timer.builder(REQUEST_TIMER)
                .description("Requests from their start to their response written")
                .tags(tags)
                .tag("method", method < KNOWN_METHODS.size() ? KNOWN_METHODS.get(method) : "OTHER")
                .tag("class", statusClass + "xx")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ServerStatistics s,
                       ToDoubleFunction<ServerStatistics> value) {
        Gauge.builder(name, s, value).description(description).tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags extra, ServerStatistics s,
                         ToDoubleFunction<ServerStatistics> value) {
        FunctionCounter.builder(name, s, value).description(description).tags(tags).tags(extra).register(registry);
    }

    /** Stops timing requests: removes the listeners {@link #bindTo} added to the server. */
    @Override
    public void close() {
        for (Subscription subscription : subscriptions) {
            subscription.close();
        }
        subscriptions.clear();
        started.clear();
    }
}
