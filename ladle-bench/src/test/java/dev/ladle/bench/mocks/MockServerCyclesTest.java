package dev.ladle.bench.mocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.junit.MockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mock-server cycle benchmark still runs: every library starts, answers its stub over HTTP and
 * HTTPS and stops, a few cycles each, and the report has a row per library and scheme. No timings are
 * checked: this keeps the harness from rotting, it does not measure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MockServerCyclesTest {

    @Test
    void everyLibraryRunsItsCyclesOverHttpAndHttps() throws Exception {
        MockServerCycles.Settings settings = new MockServerCycles.Settings(2, 1, 1, MockServerCycles.LIBRARIES, true, true, Map.of());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Map<String, CycleTimes> times = MockServerCycles.run(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(times).containsOnlyKeys("ladle-junit", "mockwebserver", "wiremock",
                "ladle-junit https", "mockwebserver https", "wiremock https");
        assertThat(times.values()).allSatisfy(t -> {
            assertThat(t.rounds()).isEqualTo(1);
            assertThat(t.cycles()).isEqualTo(2);
            assertThat(t.medianMillis()).isPositive();
            assertThat(t.cpuMillisPerCycle()).isPositive();
        });
        assertThat(progress.toString(StandardCharsets.UTF_8).lines().map(line -> line.substring(0, line.indexOf(','))))
                .containsExactly("warm-up 1/1", "round 1/1");
    }

    @Test
    void aCycleFailsWhenTheAnswerIsNotTheStubs() {
        // the request of every cycle checks the answer, so a library that stopped answering the stub
        // (a 404, an empty body) ends the run instead of being timed
        try (MockServer server = MockServer.start(); HttpClient client = HttpClient.newHttpClient()) {
            server.onGet(HelloRequest.PATH).respond(200, "text/plain", "Goodbye");

            assertThatThrownBy(() -> HelloRequest.send(client, HelloRequest.uri(false, server.port())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("got 200 Goodbye");
        }
    }

    @Test
    void reportHasARowPerLibraryAndSchemeWithItsJarsAndItsRatioToLadleJunit() {
        MockServerCycles.Settings settings = new MockServerCycles.Settings(2, 1, 0, List.of("ladle-junit", "wiremock"), true, true,
                Map.of("ladle-junit", 2, "wiremock", 54));
        Map<String, CycleTimes> times = new LinkedHashMap<>();
        times.put("ladle-junit", round(2_000_000, 4_000_000));
        times.put("wiremock", round(8_000_000, 12_000_000));
        times.put("ladle-junit https", round(10_000_000, 10_000_000));
        times.put("wiremock https", round(30_000_000, 50_000_000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        MockServerCycles.report(settings, times, "1.00 1.00 1.00", "2.00 2.00 2.00", new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("| ") && !l.startsWith("| library") && !l.startsWith("| ---")))
                .containsExactly(
                        "| ladle-junit | 2 | 2.00 | 3.00 | 4.00 | 2.00 – 2.00 | 1.00× | 3.00 |",
                        "| wiremock | 54 | 8.00 | 10.00 | 12.00 | 8.00 – 8.00 | 4.00× | 3.00 |",
                        "| ladle-junit https | 2 | 10.00 | 10.00 | 10.00 | 10.00 – 10.00 | 1.00× | 3.00 |",
                        "| wiremock https | 54 | 30.00 | 40.00 | 50.00 | 30.00 – 30.00 | 3.00× | 3.00 |");
    }

    @Test
    void argumentsOfTheScriptBecomeSettings() {
        MockServerCycles.Settings settings = MockServerCycles.parse(new String[] {"--cycles", "7", "--rounds", "2", "--warmup", "0",
                "--libraries", "wiremock,ladle-junit", "--schemes", "https", "--jars", "ladle-junit=2,mockwebserver=,wiremock=54"});

        assertThat(settings).isEqualTo(new MockServerCycles.Settings(7, 2, 0, List.of("wiremock", "ladle-junit"), false, true,
                Map.of("ladle-junit", 2, "wiremock", 54)));
    }

    private static CycleTimes round(long... nanos) {
        CycleTimes times = new CycleTimes();
        times.addRound(nanos, 3_000_000L * nanos.length);
        return times;
    }
}
