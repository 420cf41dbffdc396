package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** A stub begun with {@code on...} and never finished with {@code respond} is reported, not ignored. */
@Timeout(30)
class UnfinishedStubTest {
    private final MockServer server = MockServer.start();

    @AfterEach
    void stop() {
        server.reset(); // forgets the unfinished stubs these tests leave on purpose
        server.close();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void requestWhileAStubIsUnfinishedGets500NamingItAndIsReported() throws Exception {
        server.onGet("/a").respond(200);
        server.onGet("/users").withHeader("Accept", "application/json"); // no respond(...)

        HttpResponse<String> r = get(server.uri("/a"));

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("never finished with respond").contains("GET /users (header Accept equal to \"application/json\")");
        assertThat(server.answerFailures()).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(server.takeRequest().status()).isEqualTo(500);
    }

    @Test
    void verifyThrowsNamingTheUnfinishedStub() {
        server.onPost("/orders");

        assertThatThrownBy(() -> server.verify(0, "POST", "/orders")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POST /orders");
    }

    @Test
    void closeStopsTheServerAndThenThrowsNamingTheUnfinishedStub() throws Exception {
        MockServer other = MockServer.start();
        other.onDelete("/x");

        assertThatThrownBy(other::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("DELETE /x");
        Ports.assertNothingListens(other.uri());
    }

    @Test
    void finishedStubsAreNotReported() throws Exception {
        Stubbing stubbing = server.onGet("/late").withQueryParameter("q", "1");
        stubbing.respond(200);

        assertThat(get(server.uri("/late?q=1")).statusCode()).isEqualTo(200);
        server.verify(1, "GET", "/late");
        assertThat(server.answerFailures()).isEmpty();
    }

    @Test
    void stubOnAPathMatcherLeftUnfinishedIsReportedToo() {
        server.on("GET", StringMatcher.matching("/items/\\d+"));

        assertThatThrownBy(() -> server.verify(0, RequestPattern.anyRequest())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET path matching");
    }

    @Test
    void stubWhoseRespondRefusedANullResponseIsNotReportedAsUnfinished() {
        assertThatThrownBy(() -> server.onGet("/n").respond((MockResponse) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> server.onGet("/s").respondInSequence(MockResponse.text("a"), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> server.onGet("/f").respondWith(null)).isInstanceOf(NullPointerException.class);
        server.verify(0, RequestPattern.anyRequest()); // throws when a stub is left unfinished
    }

    @Test
    void stubsBeingBuiltOnAnotherThreadDoNotTurnRequestsAway() throws Exception {
        server.onGet("/ping").respond(200, "text/plain", "pong");
        CountDownLatch building = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread builder = Thread.ofPlatform().start(() -> {
            for (int i = 0; !stop.get(); i++) {
                server.onGet("/built").withHeader("X-Build", String.valueOf(i)).respond(204).remove();
                building.countDown();
            }
        });
        try (HttpClient client = HttpClient.newHttpClient()) {
            assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/ping")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        } finally {
            stop.set(true);
            builder.join();
        }
        assertThat(server.answerFailures()).isEmpty();
        server.verify(50, "GET", "/ping");
    }

    // ---- with the extension ---------------------------------------------------------------------

    @ExtendWith(LadleExtension.class)
    static class UnfinishedFixture {
        @Test
        void forgetsRespond(MockServer server) {
            server.onGet("/forgotten");
        }
    }

    static class LenientUnfinishedFixture {
        @RegisterExtension
        LadleExtension ladle = new LadleExtension().lenient();

        @Test
        void forgetsRespond() {
            ladle.server().onGet("/forgotten");
        }
    }

    private static Throwable failureOf(Class<?> fixture) {
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute()
                .testEvents().failed().list();
        assertThat(failed).hasSize(1);
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    @Test
    void extensionFailsATestThatLeftAStubUnfinished() {
        assertThat(failureOf(UnfinishedFixture.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /forgotten");
    }

    @Test
    void lenientExtensionFailsItToo() {
        assertThat(failureOf(LenientUnfinishedFixture.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /forgotten");
    }

    @Test
    void stubWhoseBuilderRefusedItsArgumentsIsNotReportedAsUnfinished() {
        assertThatThrownBy(() -> server.onPost("/j").withJsonBody("{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.onGet("/t").times(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.onGet("/s").whenState("x").respond(200)).isInstanceOf(IllegalStateException.class);
        server.verify(0, RequestPattern.anyRequest()); // throws when a stub is left unfinished
    }
}
