package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * LadleExtension as JUnit runs it: fixture classes (nested, so surefire does not run them itself) are
 * executed through the JUnit testkit and their outcomes checked.
 */
class LadleExtensionTest {
    /** What the fixtures saw, for the checks after they ran. */
    static final List<MockServer> SEEN = new CopyOnWriteArrayList<>();
    static final List<URI> URIS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
        URIS.clear();
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    private static Throwable failureOf(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        return failed.get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow();
    }

    static String get(URI uri) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    @ExtendWith(LadleExtension.class)
    static class InjectionFixture {
        @BeforeEach
        void stubs(MockServer server) {
            SEEN.add(server);
            server.onGet("/hello").respond(200, "text/plain", "hi");
        }

        @Test
        void first(MockServer server) throws Exception {
            SEEN.add(server);
            URIS.add(server.uri());
            assertThat(get(server.uri("/hello"))).isEqualTo("200 hi");
        }

        @Test
        void second(MockServer server) throws Exception {
            SEEN.add(server);
            URIS.add(server.uri());
            assertThat(server.requests()).isEmpty();
            assertThat(get(server.uri("/hello"))).isEqualTo("200 hi");
        }

        @AfterEach
        void verify(MockServer server) {
            server.verify(1, "GET", "/hello");
        }
    }

    @ExtendWith(LadleExtension.class)
    static class UnmatchedFixture {
        @Test
        void swallowsA404(MockServer server) throws Exception {
            server.onGet("/known").respond(200);
            get(server.uri("/typo")); // the code under test ignores the status
        }
    }

    static class LenientFixture {
        @RegisterExtension
        LadleExtension ladle = new LadleExtension().lenient();

        @Test
        void swallowsA404() throws Exception {
            assertThat(get(ladle.server().uri("/typo"))).startsWith("404");
        }
    }

    @ExtendWith(LadleExtension.class)
    static class FailingAnswerFixture {
        @Test
        void stubThrows(MockServer server) throws Exception {
            server.onGet("/x").respondWith(r -> {
                throw new IllegalArgumentException("no such user");
            });
            get(server.uri("/x"));
        }
    }

    @ExtendWith(LadleExtension.class)
    static class FailingTestFixture {
        @Test
        void failsOnItsOwn(MockServer server) throws Exception {
            get(server.uri("/typo"));
            throw new AssertionError("the test's own failure");
        }
    }

    static class RegisteredFixture {
        @RegisterExtension
        static LadleExtension ladle = LadleExtension.using(() -> MockServer.builder()
                .configure(s -> s.setServerHeader("fixture")).start());

        @Test
        void usesTheFieldsServer() throws Exception {
            MockServer server = ladle.server();
            SEEN.add(server);
            URIS.add(server.uri());
            server.enqueue(MockResponse.text("queued"));
            assertThat(get(server.uri("/any"))).isEqualTo("200 queued");
        }

        @Test
        void injectionAndFieldAgree(MockServer server) {
            assertThat(server).isSameAs(ladle.server());
        }
    }

    @ExtendWith(LadleExtension.class)
    static class BeforeAllFixture {
        @BeforeAll
        static void tooEarly(MockServer server) {
            // never reached: there is no server yet
        }

        @Test
        void test() {
        }
    }

    // ---- the tests --------------------------------------------------------------------------------

    @Test
    void serverIsInjectedIntoTestAndLifecycleMethodsAndIsFreshForEachTest() {
        EngineExecutionResults results = run(InjectionFixture.class);
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        // @BeforeEach and the test saw the same server; the two tests saw different ones
        assertThat(SEEN).hasSize(4);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
        assertThat(SEEN.get(2)).isSameAs(SEEN.get(3));
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(2));
    }

    @Test
    void serverIsStoppedAfterEachTest() throws Exception {
        run(InjectionFixture.class).testEvents().assertStatistics(s -> s.succeeded(2));
        assertThat(URIS).hasSize(2);
        for (URI uri : URIS) {
            Ports.assertNothingListens(uri);
        }
    }

    @Test
    void passingTestWithAnUnmatchedRequestFailsAndNamesIt() {
        Throwable failure = failureOf(run(UnmatchedFixture.class));
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("GET /typo")
                .hasMessageContaining("GET /known");
    }

    @Test
    void lenientExtensionLetsUnmatchedRequestsPass() {
        run(LenientFixture.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void throwingStubAnswerFailsTheTestWithItsCause() {
        Throwable failure = failureOf(run(FailingAnswerFixture.class));
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("no such user")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTestsOwnFailureIsNotBuriedUnderTheUnmatchedCheck() {
        Throwable failure = failureOf(run(FailingTestFixture.class));
        assertThat(failure).hasMessage("the test's own failure");
    }

    @Test
    void registeredExtensionBuildsServersWithItsFactoryAndSharesThemWithInjection() throws Exception {
        run(RegisteredFixture.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN).hasSize(1);
        assertThat(URIS).hasSize(1);
    }

    @Test
    void injectingIntoBeforeAllExplainsWhyItCannotWork() {
        EngineExecutionResults results = run(BeforeAllFixture.class);
        Throwable failure = results.containerEvents().failed().list().get(0)
                .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).hasMessageContaining("per test method").hasMessageContaining("tooEarly");
    }

    @Test
    void serverAccessOutsideATestIsAClearError() {
        assertThatThrownBy(() -> new LadleExtension().server()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("per test method");
    }
}
