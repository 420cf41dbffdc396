package dev.ladle.examples.guide.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.start.HelloServer;
import dev.ladle.micrometer.LadleMetrics;
import dev.ladle.server.Server;
import dev.ladle.server.ServerStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics chapter: the server's statistics, its Flight Recorder events, and Micrometer meters. */
class MetricsTest {
    private static void get(HttpClient client, URI uri) throws Exception {
        client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.discarding());
    }

    @Test
    void theStatisticsCountConnectionsResponsesAndBytes() throws Exception {
        try (Server server = HelloServer.start(0); HttpClient client = HttpClient.newHttpClient()) {
            URI base = server.getUris().get(0);
            // a response is counted once written, which may be just after the client has read it
            CountDownLatch finished = new CountDownLatch(2);
            server.onRequestFinished(msg -> finished.countDown());
            get(client, base.resolve("/hello"));
            get(client, base.resolve("/missing"));
            assertThat(finished.await(10, TimeUnit.SECONDS)).as("both requests finished").isTrue();
            // tag::statistics[]
            ServerStatistics stats = server.getStatistics(); // a live view: each getter reads the figure now
            long ok = stats.getResponses(2);                 // responses with a 2xx status
            long clientErrors = stats.getResponses(4);
            long open = stats.getConnectionsOpen();          // the same as server.getConnectionCount()
            long bytesOut = stats.getResponseBodyBytesWritten();
            // end::statistics[]
            assertThat(ok).isEqualTo(1);
            assertThat(clientErrors).isEqualTo(1);
            assertThat(stats.getResponsesTotal()).isEqualTo(2);
            assertThat(open).isEqualTo(1).isEqualTo(server.getConnectionCount());
            assertThat(stats.getConnectionsAccepted()).isEqualTo(1);
            assertThat(bytesOut).isGreaterThanOrEqualTo("Hello, world!\n".length());
            assertThat(stats.getRequestsAborted()).isZero();
        }
    }

    @Test
    void theFlightRecorderEventsAreOffUntilARecordingEnablesThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ladle.jfr");
        try (Server server = HelloServer.start(0); HttpClient client = HttpClient.newHttpClient()) {
            URI hello = server.getUris().get(0).resolve("/hello");
            CountDownLatch finished = new CountDownLatch(1);
            CountDownLatch both = new CountDownLatch(2);
            server.onRequestFinished(msg -> {
                finished.countDown();
                both.countDown();
            });
            // tag::jfr[]
            try (Recording recording = new Recording()) {
                recording.enable("dev.ladle.Request");    // off unless a recording enables it
                recording.start();
                get(client, hello);
                finished.await(10, TimeUnit.SECONDS);     // committed as the exchange ends, after the client has its answer
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> requests = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.ladle.Request")).toList();
            RecordedEvent request = requests.get(0);
            assertThat(request.getString("method")).isEqualTo("GET");
            assertThat(request.getString("path")).isEqualTo("/hello");
            assertThat(request.getString("protocol")).isEqualTo("HTTP/1.1");
            assertThat(request.getInt("status")).isEqualTo(200);
            assertThat(request.getDuration()).isPositive();
            // end::jfr[]
            assertThat(requests).hasSize(1);
            assertThat(request.getLong("requestContentLength")).isEqualTo(-1);
            assertThat(request.getLong("responseContentLength")).isEqualTo("Hello, world!\n".length());
            assertThat(request.getBoolean("aborted")).isFalse();
            // a recording that does not enable them records none
            Path none = dir.resolve("none.jfr");
            try (Recording recording = new Recording()) {
                recording.start();
                get(client, hello);
                assertThat(both.await(10, TimeUnit.SECONDS)).as("the second request finished").isTrue();
                recording.stop();
                recording.dump(none);
            }
            assertThat(RecordingFile.readAllEvents(none)).noneMatch(e -> e.getEventType().getName().startsWith("dev.ladle."));
        }
    }

    @Test
    void micrometerMetersReadTheStatisticsAndTimeEachRequest() throws Exception {
        try (Server server = HelloServer.start(0); HttpClient client = HttpClient.newHttpClient()) {
            // tag::micrometer[]
            MeterRegistry registry = new SimpleMeterRegistry(); // or your Prometheus, OTLP, ... registry
            LadleMetrics metrics = new LadleMetrics(server, Tags.of("server", "api"));
            metrics.bindTo(registry);
            // end::micrometer[]
            // a response is counted once written, which may be just after the client has read it
            CountDownLatch finished = new CountDownLatch(2);
            server.onRequestFinished(msg -> finished.countDown());
            get(client, server.getUris().get(0).resolve("/hello"));
            get(client, server.getUris().get(0).resolve("/missing"));
            assertThat(finished.await(10, TimeUnit.SECONDS)).as("both requests finished").isTrue();
            assertThat(registry.get("ladle.responses").tags("class", "2xx", "server", "api").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("ladle.responses").tags("class", "4xx").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("ladle.connections.open").gauge().value()).isEqualTo(1);
            assertThat(registry.get(LadleMetrics.REQUEST_TIMER).tags("method", "GET", "class", "2xx").timer().count()).isEqualTo(1);
            assertThat(registry.get(LadleMetrics.REQUEST_TIMER).tags("method", "GET", "class", "2xx").timer()
                    .totalTime(TimeUnit.NANOSECONDS)).isGreaterThan(0);
            metrics.close();
        }
    }
}
