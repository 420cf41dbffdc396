package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal keeps requests in the order they arrived, numbered by their place in it, whatever order
 * their answers are ready in; a {@code reset()} forgets the requests still being answered too.
 */
@Timeout(30)
class JournalTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final MockServer server = MockServer.start();
    private final CountDownLatch answering = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
        client.close();
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A stub on {@code /slow} whose answer waits for {@link #release}, once it has said it is answering. */
    private void slowStub() {
        server.onGet("/slow").respondWith(request -> {
            answering.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MockResponse.text("slow");
        });
    }

    @Test
    void aRequestWhoseAnswerIsSlowKeepsItsPlaceAheadOfALaterOne() throws Exception {
        slowStub();
        server.onGet("/fast").respond(MockResponse.text("fast"));
        CompletableFuture<HttpResponse<String>> slow = getAsync("/slow");
        assertThat(answering.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(getAsync("/fast").get(10, TimeUnit.SECONDS).body()).isEqualTo("fast");
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow");

        assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/slow", "/fast");
        assertThat(server.requests()).extracting(RecordedRequest::sequenceNumber).containsExactly(0, 1);
        assertThat(server.takeRequest().path()).isEqualTo("/slow");
        assertThat(server.takeRequest().path()).isEqualTo("/fast");
    }

    @Test
    void aRequestStillBeingAnsweredWhenTheServerIsResetIsNotJournaledAfterIt() throws Exception {
        slowStub();
        CompletableFuture<HttpResponse<String>> slow = getAsync("/slow");
        assertThat(answering.await(10, TimeUnit.SECONDS)).isTrue();

        server.reset();
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow");
        server.onGet("/after").respond(200);
        assertThat(getAsync("/after").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/after");
            assertThat(r.sequenceNumber()).isZero();
        });
        assertThat(server.unmatchedRequests()).isEmpty();
    }
}
