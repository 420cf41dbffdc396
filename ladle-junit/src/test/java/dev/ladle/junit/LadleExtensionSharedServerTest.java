package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * A static {@code @RegisterExtension} field shares one server per class (as WireMock's extension does),
 * reset between tests, with the strict checks still per test; an instance field gives each test its own.
 */
class LadleExtensionSharedServerTest {
    static final List<MockServer> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    private static Throwable throwableOf(Event event) {
        return event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StaticFieldFixture {
        @RegisterExtension
        static LadleExtension ladle = new LadleExtension();

        @BeforeAll
        static void stubForTheClass(MockServer server) {
            SEEN.add(server);
            server.onGet("/shared").respond(200, "text/plain", "class stub");
        }

        @Test
        @Order(1)
        void first(MockServer server) throws Exception {
            SEEN.add(server);
            server.onGet("/own").respond(200, "text/plain", "first's stub");
            assertThat(LadleExtensionTest.get(server.uri("/shared"))).isEqualTo("200 class stub");
            assertThat(LadleExtensionTest.get(server.uri("/own"))).isEqualTo("200 first's stub");
            assertThat(server.requests()).hasSize(2);
        }

        @Test
        @Order(2)
        void second() throws Exception {
            MockServer server = ladle.server();
            SEEN.add(server);
            // the first test's stub and journal are gone; the class's stub is back
            assertThat(server.requests()).isEmpty();
            assertThat(server.stubs()).extracting(Stub::description).containsExactly("GET /shared");
            assertThat(LadleExtensionTest.get(server.uri("/shared"))).isEqualTo("200 class stub");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StaticFieldStrictFixture {
        @RegisterExtension
        static LadleExtension ladle = new LadleExtension();

        @Test
        @Order(1)
        void swallowsA404() throws Exception {
            LadleExtensionTest.get(ladle.server().uri("/typo"));
        }

        @Test
        @Order(2)
        void asksNothing() {
        }
    }

    /** A class stub that answers once: each test gets that one answer, as the first test did. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class UsedUpClassStubFixture {
        @RegisterExtension
        static LadleExtension ladle = new LadleExtension();

        @BeforeAll
        static void stubForTheClass(MockServer server) {
            server.onGet("/token").times(1).respond(200, "text/plain", "the token");
            server.onGet("/page").respondInSequence(MockResponse.text("page 1"), MockResponse.text("page 2"));
        }

        @Test
        @Order(1)
        void first(MockServer server) throws Exception {
            assertThat(LadleExtensionTest.get(server.uri("/token"))).isEqualTo("200 the token");
            assertThat(LadleExtensionTest.get(server.uri("/page"))).isEqualTo("200 page 1");
        }

        @Test
        @Order(2)
        void second(MockServer server) throws Exception {
            assertThat(server.stubs()).allSatisfy(s -> assertThat(s.hits()).isZero());
            assertThat(LadleExtensionTest.get(server.uri("/token"))).isEqualTo("200 the token");
            assertThat(LadleExtensionTest.get(server.uri("/page"))).isEqualTo("200 page 1");
        }
    }

    static class InstanceFieldFixture {
        @RegisterExtension
        LadleExtension ladle = new LadleExtension();

        @Test
        void one() {
            SEEN.add(ladle.server());
        }

        @Test
        void two() {
            SEEN.add(ladle.server());
        }
    }

    static class OuterFixture {
        @RegisterExtension
        static LadleExtension ladle = new LadleExtension();

        @Test
        void outer(MockServer server) {
            SEEN.add(server);
        }

        @Nested
        class Inner {
            @Test
            void inner(MockServer server) {
                SEEN.add(server);
            }
        }
    }

    /** Opens when a test is over; registered before the ladle field, so its afterEach runs after the ladle's. */
    static final class Gate implements AfterEachCallback {
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void afterEach(ExtensionContext context) {
            done.countDown();
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class StaticFieldConcurrentFixture {
        @RegisterExtension
        @Order(1)
        static Gate gate = new Gate();

        @RegisterExtension
        @Order(2)
        static LadleExtension ladle = new LadleExtension();

        /** The test that got the server waits until the other one was turned away. */
        private void holdTheServer() throws InterruptedException {
            assertThat(gate.done.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void one() throws Exception {
            holdTheServer();
        }

        @Test
        void two() throws Exception {
            holdTheServer();
        }
    }

    // ---- the tests --------------------------------------------------------------------------------

    @Test
    void staticFieldSharesOneServerWithTheClassAndResetsItBetweenTests() throws Exception {
        run(StaticFieldFixture.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
        Ports.assertNothingListens(SEEN.get(0).uri());
    }

    @Test
    void staticFieldStillChecksEachTestOnItsOwn() {
        EngineExecutionResults results = run(StaticFieldStrictFixture.class);
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        Event failed = results.testEvents().failed().list().get(0);
        assertThat(failed.getTestDescriptor().getDisplayName()).isEqualTo("swallowsA404()");
        assertThat(throwableOf(failed)).isInstanceOf(AssertionError.class).hasMessageContaining("GET /typo");
    }

    @Test
    void classStubsComeBackUnusedForEachTest() {
        run(UsedUpClassStubFixture.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void instanceFieldGivesEachTestItsOwnServer() {
        run(InstanceFieldFixture.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void nestedClassesShareTheServerOfTheClassWithTheStaticField() throws Exception {
        run(OuterFixture.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
        URI uri = SEEN.get(0).uri();
        Ports.assertNothingListens(uri);
    }

    @Test
    void staticFieldTurnsAwayATestThatStartsWhileAnotherUsesTheServer() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(StaticFieldConcurrentFixture.class)).execute();
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(throwableOf(results.testEvents().failed().list().get(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot run concurrently")
                .hasMessageContaining("@Execution(ExecutionMode.SAME_THREAD)");
    }
}
