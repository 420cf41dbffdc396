package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --metrics}: the handler behind it answers with the statistics of a real server in the Prometheus
 * text format 0.0.4, which the test parses line by line after known requests.
 */
class PrometheusMetricsTest {
    private Server server;
    private URI base;
    private final Semaphore finished = new Semaphore(0);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addHandler("/hello", (s, msg, path, query) -> {
            msg.setResponse("text/plain", "hello".getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.addHandler("/metrics", new PrometheusMetrics());
        server.onRequestFinished(msg -> finished.release());
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyFigureOfTheStatisticsHasASample() throws Exception {
        // each figure is one sample, but getResponses(int), which is five (one per class), and
        // getResponsesTotal, their sum; so a figure added to ServerStatistics and not here fails this
        long figures = java.util.Arrays.stream(dev.ladle.server.ServerStatistics.class.getMethods())
                .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0 && m.getReturnType() == long.class)
                .count();
        long samples = get("/metrics").body().lines().filter(line -> line.startsWith("ladle_")).count();
        assertThat(samples).isEqualTo(figures - 1 + 5);
    }

    @Test
    void theScrapeCountsKnownRequestsByStatusClass() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/hello").statusCode()).isEqualTo(200);
        }
        assertThat(get("/missing").statusCode()).isEqualTo(404);
        assertThat(finished.tryAcquire(4, 10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, Long> samples = PrometheusText.parse(scrape.body());
        assertThat(samples).containsEntry("ladle_requests_total{class=\"2xx\"}", 3L)
                .containsEntry("ladle_requests_total{class=\"4xx\"}", 1L)
                .containsEntry("ladle_requests_total{class=\"5xx\"}", 0L)
                .containsEntry("ladle_websockets_open", 0L)
                .containsEntry("ladle_tls_handshake_failures_total", 0L)
                .containsKeys("ladle_connections_accepted_total", "ladle_request_body_bytes_total",
                        "ladle_connections_refused_total{limit=\"server\"}", "ladle_requests_aborted_total");
        // three "hello" bodies and the 404's; the scrape's connection is open
        assertThat(samples.get("ladle_response_body_bytes_total")).isGreaterThanOrEqualTo(5L * 3);
        assertThat(samples.get("ladle_connections_open")).isGreaterThanOrEqualTo(1L);

        // the scrape itself counts in the next one
        assertThat(finished.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
        assertThat(PrometheusText.parse(get("/metrics").body())).containsEntry("ladle_requests_total{class=\"2xx\"}", 4L);
    }

    @Test
    void metricsNeedsAPathOtherThanTheRootAndDoesNotGoWithMock() {
        assertThatThrownBy(() -> checked("--metrics", "/")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--metrics need a path other than /");
        assertThatThrownBy(() -> checked("--metrics", "metrics")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--metrics");
        assertThatThrownBy(() -> checked("--mock", "mappings", "--metrics", "/metrics"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--metrics is not supported with --mock");
        assertThat(checked("--metrics", "/metrics").metrics).isEqualTo("/metrics");
    }

    /** Parses {@code args} as Main does and checks the combination. */
    private static HttpdCommand checked(String... args) {
        HttpdCommand command = new HttpdCommand(System.out, System.err);
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        command.checkFlags();
        return command;
    }

    @Test
    void postIsRefusedWith405() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }
}
