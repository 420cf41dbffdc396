package dev.ladle.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.ServerStatistics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LadleMetrics} on a real server and a {@link SimpleMeterRegistry}: after known requests, the
 * counters read the server's statistics and the timer counted each finished request by method and class.
 * The test waits for the server's RequestFinished event (after which the timer has recorded: the binder's
 * listener was added first).
 */
class LadleMetricsTest {
    private Server server;
    private URI base;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LadleMetrics metrics;
    private final Semaphore finished = new Semaphore(0);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/hello", (s, msg, path, query) -> {
            msg.setResponse("text/plain", "hello".getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        metrics = new LadleMetrics(server, Tags.of("server", "test"));
        metrics.bindTo(registry);
        server.onRequestFinished(msg -> finished.release());
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        metrics.close();
        server.close();
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void countersAndTheTimerFollowKnownRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/hello")).isEqualTo(200);
        }
        assertThat(get("/missing")).isEqualTo(404);
        assertThat(finished.tryAcquire(4, 10, TimeUnit.SECONDS)).isTrue();

        assertThat(registry.get("ladle.responses").tags("class", "2xx", "server", "test").functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("ladle.responses").tags("class", "4xx").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("ladle.connections.accepted").functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("ladle.connections.open").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("ladle.response.body.bytes").functionCounter().count()).isGreaterThanOrEqualTo(15);

        Timer ok = registry.get(LadleMetrics.REQUEST_TIMER).tags("method", "GET", "class", "2xx").timer();
        assertThat(ok.count()).isEqualTo(3);
        assertThat(ok.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get(LadleMetrics.REQUEST_TIMER).tags("method", "GET", "class", "4xx").timer().count()).isEqualTo(1);
    }

    @Test
    void everyFigureOfTheStatisticsHasAMeter() {
        // each figure is one meter, but getResponses(int), which is five (one per class), and
        // getResponsesTotal, their sum; so a figure added to ServerStatistics and not here fails this
        long figures = Arrays.stream(ServerStatistics.class.getMethods())
                .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0 && m.getReturnType() == long.class)
                .count();
        long meters = registry.getMeters().stream().filter(m -> !(m instanceof Timer)).count();
        assertThat(meters).isEqualTo(figures - 1 + 5);
    }

    @Test
    void closingStopsTheTimerButTheCountersGoOn() throws Exception {
        metrics.close();
        assertThat(get("/hello")).isEqualTo(200);
        assertThat(finished.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.find(LadleMetrics.REQUEST_TIMER).timer()).isNull();
        assertThat(registry.get("ladle.responses").tags("class", "2xx").functionCounter().count()).isEqualTo(1);
    }
}
