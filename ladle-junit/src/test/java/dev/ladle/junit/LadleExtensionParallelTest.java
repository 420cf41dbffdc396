package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link LadleExtension#server()} under parallel execution (issue 14, defect 2): one extension instance
 * shared by tests that run at once (a {@code PER_CLASS} instance field), read from threads the tests
 * started and from threads that belong to no test. The fixtures run through the JUnit testkit.
 */
class LadleExtensionParallelTest {
    /** What each fixture test's server was and what the read under test returned. */
    record Read(MockServer own, Object read) {
    }

    static final List<Read> READS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        READS.clear();
    }

    private static EngineExecutionResults runConcurrently(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(fixture)).execute();
    }

    /** {@code ladle.server()} on a new thread: its result, or the exception it threw. */
    private static Object readOnANewThread(LadleExtension ladle) throws InterruptedException {
        AtomicReference<Object> read = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                read.set(ladle.server());
            } catch (RuntimeException e) {
                read.set(e);
            }
        });
        thread.start();
        thread.join();
        return read.get();
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    static class ThreadStartedByTheTestFixture {
        /** Tests pass it in pairs, so that two tests are always running when they read. */
        final CyclicBarrier pairs = new CyclicBarrier(2);

        @RegisterExtension
        LadleExtension ladle = new LadleExtension();

        @RepeatedTest(16)
        void readsItsOwnServerFromAThreadItStarted(MockServer server) throws Exception {
            pairs.await(10, TimeUnit.SECONDS);
            READS.add(new Read(server, readOnANewThread(ladle)));
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @Execution(ExecutionMode.CONCURRENT)
    static class ThreadOfNoTestFixture {
        final CyclicBarrier both = new CyclicBarrier(2);

        @RegisterExtension
        LadleExtension ladle = new LadleExtension();

        /** One thread, made before any test began: it belongs to none of them. */
        ExecutorService outsider;

        @BeforeAll
        void startOutsider() throws Exception {
            outsider = Executors.newSingleThreadExecutor();
            outsider.submit(() -> { }).get();
        }

        @AfterAll
        void stopOutsider() {
            outsider.shutdown();
        }

        private void readWhileBothRun(MockServer server) throws Exception {
            both.await(10, TimeUnit.SECONDS);
            Object read;
            try {
                read = outsider.submit(ladle::server).get();
            } catch (java.util.concurrent.ExecutionException e) {
                read = e.getCause();
            }
            READS.add(new Read(server, read));
            both.await(10, TimeUnit.SECONDS); // neither test ends before both have read
        }

        @Test
        void one(MockServer server) throws Exception {
            readWhileBothRun(server);
        }

        @Test
        void two(MockServer server) throws Exception {
            readWhileBothRun(server);
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class OneTestAtATimeFixture {
        @RegisterExtension
        LadleExtension ladle = new LadleExtension();

        ExecutorService outsider;

        @BeforeAll
        void startOutsider() throws Exception {
            outsider = Executors.newSingleThreadExecutor();
            outsider.submit(() -> { }).get();
        }

        @AfterAll
        void stopOutsider() {
            outsider.shutdown();
        }

        @Test
        void readsFromAThreadOfNoTest(MockServer server) throws Exception {
            READS.add(new Read(server, outsider.submit(ladle::server).get()));
        }
    }

    // ---- the tests --------------------------------------------------------------------------------

    @Test
    void eachParallelTestReadsItsOwnServerFromAThreadItStarted() {
        runConcurrently(ThreadStartedByTheTestFixture.class).testEvents()
                .assertStatistics(s -> s.started(16).succeeded(16));
        assertThat(READS).hasSize(16);
        assertThat(READS).allSatisfy(r -> assertThat(r.read()).isSameAs(r.own()));
        assertThat(READS.stream().map(Read::own).distinct()).hasSize(16);
    }

    @Test
    void threadOfNoTestGetsAnErrorSayingToInjectTheServerWhileTestsRunInParallel() {
        runConcurrently(ThreadOfNoTestFixture.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(READS).hasSize(2).allSatisfy(r -> assertThat(r.read())
                .isInstanceOf(IllegalStateException.class)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("2 tests are running in parallel")
                .hasMessageContaining("inject MockServer as a parameter"));
    }

    @Test
    void threadOfNoTestGetsTheServerOfTheOnlyRunningTest() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(OneTestAtATimeFixture.class)).execute()
                .testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(READS).singleElement().satisfies(r -> assertThat(r.read()).isSameAs(r.own()));
    }
}
