package dev.ladle.examples.guide.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A paused message is answered when another thread completes it, and not before. */
class QuoteServerTest {
    private final BlockingQueue<CompletableFuture<String>> pending = new LinkedBlockingQueue<>();
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = QuoteServer.start(() -> {
            CompletableFuture<String> quote = new CompletableFuture<>();
            pending.add(quote);
            return quote;
        });
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theResponseWaitsForTheFutureAndOtherRequestsDoNot() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(base.resolve("/quote")).build(), BodyHandlers.ofString());
            CompletableFuture<String> firstQuote = pending.poll(5, TimeUnit.SECONDS);
            assertThat(firstQuote).isNotNull();
            CompletableFuture<HttpResponse<String>> second = client.sendAsync(HttpRequest.newBuilder(base.resolve("/quote")).build(), BodyHandlers.ofString());
            CompletableFuture<String> secondQuote = pending.poll(5, TimeUnit.SECONDS);
            assertThat(secondQuote).as("a paused request holds up no other").isNotNull();
            secondQuote.complete("Simplicity is prerequisite for reliability.");
            assertThat(second.get(5, TimeUnit.SECONDS).body()).isEqualTo("Simplicity is prerequisite for reliability.\n");
            assertThat(first).as("still paused").isNotDone();
            firstQuote.completeExceptionally(new java.io.IOException("quote service down"));
            assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
        }
    }
}
