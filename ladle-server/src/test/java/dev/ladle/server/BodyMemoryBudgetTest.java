package dev.ladle.server;

import static dev.ladle.server.EngineFixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2, {@link Limits#getRequestBodyMemoryBudget()}: the request bodies the server
 * accumulates share one budget; a body that does not fit is answered 503 with {@code Retry-After}
 * instead of filling the heap, streamed bodies do not count, and a finished exchange gives its bytes back.
 */
class BodyMemoryBudgetTest {
    private static final int KIB = 1024;

    @Test
    void theDefaultBudgetIsAQuarterOfTheHeapAndAtLeast64Mib() {
        long expected = Math.max(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
        assertThat(new Limits().getRequestBodyMemoryBudget()).isEqualTo(expected);
    }

    /** A handler that keeps its request's body (and so its budget) until {@code release} opens. */
    private static ServerCallback holding(CountDownLatch entered, CountDownLatch release) {
        return (server, msg, path, query) -> {
            int length = msg.getRequestBody().flatten().length;
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            msg.setResponse("text/plain", Integer.toString(length).getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        };
    }

    @Test
    void concurrentLargeUploadsBeyondTheBudgetAreAnswered503AndTheOthersServed() throws Exception {
        CountDownLatch entered = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch refusedLatch = new CountDownLatch(3);
        // room for three 300 KiB bodies, not four
        Limits limits = new Limits().setRequestBodyMemoryBudget(1024 * KIB).setRetryAfter(java.time.Duration.ofSeconds(3));
        try (EngineFixture f = EngineFixture.start(limits, s -> s.addHandler("/hold", holding(entered, release)))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] body = new byte[300 * KIB];
            List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // 100-continue: a refused client never sends its body
                uploads.add(client.sendAsync(HttpRequest.newBuilder(f.uri.resolve("/hold")).expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> upload : uploads) {
                upload.thenAccept(r -> {
                    if (r.statusCode() == 503) {
                        refusedLatch.countDown();
                    }
                });
            }
            assertThat(entered.await(20, TimeUnit.SECONDS)).as("three handlers hold their bodies").isTrue();
            assertThat(f.server.getStatistics().getRequestBodyBytesHeld()).isEqualTo(900L * KIB);
            // the other three are answered while the first three still hold their bodies
            assertThat(refusedLatch.await(20, TimeUnit.SECONDS)).as("three uploads refused").isTrue();
            for (CompletableFuture<HttpResponse<String>> upload : uploads) {
                if (upload.isDone()) {
                    assertThat(upload.get().statusCode()).isEqualTo(503);
                    assertThat(upload.get().headers().firstValue("retry-after")).hasValue("3");
                }
            }
            assertThat(f.server.getStatistics().getRequestsRefusedByBodyBudget()).isEqualTo(3);
            release.countDown();
            int served = 0;
            for (CompletableFuture<HttpResponse<String>> upload : uploads) {
                HttpResponse<String> r = upload.get(20, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    assertThat(r.body()).isEqualTo(Integer.toString(body.length));
                    served++;
                }
            }
            assertThat(served).isEqualTo(3);
            awaitNothingHeld(f.server);
        }
    }

    @BothProtocols
    void aDeclaredBodyThatDoesNotFitIsAnswered503WithoutA100(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setRequestBodyMemoryBudget(1000));
                ProtocolClient c = f.connect(protocol)) {
            c.sendHead(Request.of("POST", "/x").header("Content-Length", "1001").header("Expect", "100-continue"));
            assertThat(c.awaitContinue()).isEqualTo(503);
            Response r = assertRejected(c, 503, true);
            assertThat(r.informational()).isEmpty();
            assertThat(r.one("Retry-After")).isEqualTo("1");
            assertThat(f.server.getStatistics().getRequestsRefusedByBodyBudget()).isEqualTo(1);
        }
    }

    @BothProtocols
    void aBodyWithoutLengthIsCountedAsItArrivesAndRefusedWhenItNoLongerFits(Protocol protocol) throws Exception {
        // the first 16 KiB block fits, the next 32 KiB one does not
        try (EngineFixture f = EngineFixture.start(new Limits().setRequestBodyMemoryBudget(20 * KIB));
                ProtocolClient c = f.connect(protocol)) {
            c.sendHead(Request.of("POST", "/x"));
            c.sendBody("c".repeat(10 * KIB)).sendBody("c".repeat(10 * KIB));
            Response r = assertRejected(c, 503, true);
            assertThat(r.one("Retry-After")).isEqualTo("1");
            assertThat(f.server.getStatistics().getRequestsRefusedByBodyBudget()).isEqualTo(1);
            awaitNothingHeld(f.server);
        }
    }

    @BothProtocols
    void aBodyThatFitsIsServedAndGivesItsBytesBack(Protocol protocol) throws Exception {
        try (EngineFixture f = EngineFixture.start(new Limits().setRequestBodyMemoryBudget(20 * KIB));
                ProtocolClient c = f.connect(protocol)) {
            for (int i = 0; i < 3; i++) {
                // each fits alone; three at once would not
                Response r = c.send(Request.of("POST", "/x").body("b".repeat(15 * KIB))).read();
                assertThat(r.status()).isEqualTo(200);
                // given back when the exchange ends, just after its response went out
                awaitNothingHeld(f.server);
            }
            assertThat(f.server.getStatistics().getRequestsRefusedByBodyBudget()).isZero();
        }
    }

    @Test
    void streamedBodiesDoNotCountAgainstTheBudget() throws Exception {
        AtomicLong streamed = new AtomicLong();
        AtomicInteger chunks = new AtomicInteger();
        try (EngineFixture f = EngineFixture.start(new Limits().setRequestBodyMemoryBudget(KIB), s -> {
            s.addEarlyHandler("/stream", (srv, msg, path, query) -> {
                try (InputStream in = msg.getRequestBodyStream()) {
                    streamed.set(in.transferTo(java.io.OutputStream.nullOutputStream()));
                }
                msg.setStatus(200);
            });
            s.addEarlyHandler("/chunks", (srv, msg, path, query) -> {
                msg.getRequestBody().setAccumulate(false);
                msg.onGotChunk(chunk -> chunks.addAndGet(chunk.remaining()));
            });
            s.addHandler("/chunks", (srv, msg, path, query) -> msg.setStatus(200));
        })) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] body = new byte[1024 * KIB];
            for (String path : new String[] {"/stream", "/chunks", "/accumulated"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(f.uri.resolve(path)).expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(path.equals("/accumulated") ? 503 : 200);
            }
            assertThat(streamed.get()).isEqualTo(body.length);
            assertThat(chunks.get()).isEqualTo(body.length);
            assertThat(f.server.getStatistics().getRequestsRefusedByBodyBudget()).isEqualTo(1);
        }
    }

    @Test
    void theBudgetMustBePositive() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new Limits().setRequestBodyMemoryBudget(0));
    }

    /** The bytes go back when the exchange's pipeline ends, just after the client got its answer: poll briefly. */
    private static void awaitNothingHeld(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.getStatistics().getRequestBodyBytesHeld() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling with a deadline, as awaitility would
        }
        assertThat(server.getStatistics().getRequestBodyBytesHeld()).isZero();
    }
}
