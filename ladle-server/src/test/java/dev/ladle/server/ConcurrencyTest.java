package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many clients at once (issue 2, item 8): 1,000 keep-alive connections open at the same time, each
 * making several requests, all answered correctly, and no platform thread left behind.
 */
class ConcurrencyTest {
    private static final int CONNECTIONS = 1000;
    private static final int REQUESTS_PER_CONNECTION = 5;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void thousandConcurrentKeepAliveConnectionsAreAllAnsweredWithoutLeakingThreads() throws Exception {
        Set<String> before = platformThreads();
        AtomicInteger answered = new AtomicInteger();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger peakConnections = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        long start = System.nanoTime();
        try (EngineFixture f = EngineFixture.start()) {
            // every client opens its connection and makes its first request before any makes a second,
            // so all 1,000 connections are alive in the server at once
            CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int id = i;
                    tasks.add(clients.submit(() -> {
                        try (WireClient c = f.connect()) {
                            peakConnections.accumulateAndGet(open.incrementAndGet(), Math::max);
                            for (int k = 0; k < REQUESTS_PER_CONNECTION; k++) {
                                String path = "/c/" + id + "/" + k;
                                if (k % 2 == 0) {
                                    c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
                                } else {
                                    String body = "payload-" + id + "-" + k;
                                    c.send("POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length()
                                            + "\r\n\r\n" + body);
                                }
                                WireClient.Response r = c.read();
                                String expected = k % 2 == 0 ? "GET " + path : "POST " + path + " body=payload-" + id + "-" + k;
                                if (r.status() != 200 || !r.bodyText().equals(expected)) {
                                    throw new AssertionError("connection " + id + " request " + k + ": " + r.statusLine() + " " + r.bodyText());
                                }
                                answered.incrementAndGet();
                                if (k == 0) {
                                    allConnected.countDown();
                                    if (!allConnected.await(45, TimeUnit.SECONDS)) {
                                        throw new AssertionError("not all clients connected in time");
                                    }
                                }
                            }
                        } catch (Throwable e) {
                            allConnected.countDown();
                            failures.add(e);
                        } finally {
                            open.decrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> t : tasks) {
                    t.get(55, TimeUnit.SECONDS);
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failures).as("client failures (first: %s)", failures.peek()).isEmpty();
        assertThat(answered.get()).isEqualTo(CONNECTIONS * REQUESTS_PER_CONNECTION);
        assertThat(peakConnections.get()).isEqualTo(CONNECTIONS);
        assertThat(took).isLessThan(Duration.ofSeconds(50));
        System.out.printf("ConcurrencyTest: %d connections x %d requests in %d ms%n",
                CONNECTIONS, REQUESTS_PER_CONNECTION, took.toMillis());
        assertNoLeakedPlatformThreads(before);
    }

    /**
     * Names of the live platform threads, apart from the virtual-thread carriers (a JDK-wide pool that
     * grows and shrinks by itself) and threads the JDK starts on demand for its own housekeeping.
     */
    private static Set<String> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isVirtual() && t.isAlive())
                .filter(t -> !t.getName().startsWith("ForkJoinPool-"))
                .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool"))
                .filter(t -> !t.getName().equals("Read-Poller") && !t.getName().equals("Write-Poller"))
                .filter(t -> !t.getName().startsWith("VirtualThread-unparker"))
                .filter(t -> !t.getName().startsWith("VirtualThread-unblocker") && !t.getName().equals("MasterPoller"))
                .filter(t -> !t.getName().equals("Common-Cleaner") && !t.getName().equals("process reaper"))
                .map(t -> t.getName() + "#" + t.threadId())
                .collect(Collectors.toSet());
    }

    private static void assertNoLeakedPlatformThreads(Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> extra;
        do {
            extra = platformThreads();
            extra.removeAll(before);
            if (extra.isEmpty()) {
                return;
            }
            Thread.sleep(50); // polling with a deadline, as awaitility would
        } while (System.nanoTime() < deadline);
        assertThat(extra).as("platform threads left after the server closed").isEmpty();
    }
}
