package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics PATH} on the real jar: a scrape after known requests, parsed as Prometheus would. */
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void theScrapeCountsTheFilesServedAndTheMissingOne() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "0123456789");
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--metrics", "/metrics")) {
            assertThat(Clients.get(httpd.uri(), "/a.txt").statusCode()).isEqualTo(200);
            assertThat(Clients.get(httpd.uri(), "/a.txt").statusCode()).isEqualTo(200);
            assertThat(Clients.get(httpd.uri(), "/missing.txt").statusCode()).isEqualTo(404);
            // the counts are bumped as the last response ends, which the client may see first: scrape until
            // the three are in (each scrape adds one 2xx of its own, counted after it was answered)
            Map<String, Long> samples = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                HttpResponse<String> scrape = Clients.get(httpd.uri(), "/metrics");
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
                samples = PrometheusText.parse(scrape.body());
                if (samples.get("ladle_requests_total{class=\"4xx\"}") == 1) {
                    break;
                }
            }
            assertThat(samples).containsEntry("ladle_requests_total{class=\"4xx\"}", 1L);
            assertThat(samples.get("ladle_requests_total{class=\"2xx\"}")).isGreaterThanOrEqualTo(2L);
            assertThat(samples.get("ladle_response_body_bytes_total")).isGreaterThanOrEqualTo(20L);
        }
    }
}
