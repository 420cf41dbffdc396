package dev.ladle.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat example, driven by the JDK WebSocket client. */
class ChatServiceTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private URI chat;

    @BeforeEach
    void start() throws Exception {
        server = ChatService.start(0, Map.of("alice", "wonderland", "bob", "builder"));
        chat = URI.create("ws://127.0.0.1:" + server.getPort() + "/chat");
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    @Test
    void everyMemberGetsEachMessageSignedWithItsSender() throws Exception {
        Member alice = join("alice", "wonderland");
        Member bob = join("bob", "builder");
        awaitMembers(2);
        alice.socket.sendText("hi bob", true).join();
        assertThat(alice.next()).isEqualTo("alice: hi bob");
        assertThat(bob.next()).isEqualTo("alice: hi bob");
        bob.socket.sendText("hello ✓", true).join();
        assertThat(alice.next()).isEqualTo("bob: hello ✓");
        assertThat(bob.next()).isEqualTo("bob: hello ✓");
    }

    @Test
    void aMemberWhoLeftGetsNothingAndTheOthersGoOn() throws Exception {
        Member alice = join("alice", "wonderland");
        Member bob = join("bob", "builder");
        awaitMembers(2);
        bob.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        awaitMembers(1);
        alice.socket.sendText("anyone?", true).join();
        assertThat(alice.next()).isEqualTo("alice: anyone?");
        assertThat(bob.messages.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void withoutOrWithWrongCredentialsTheHandshakeGetsABasicChallenge() {
        for (String password : new String[] {null, "wrong"}) {
            WebSocket.Builder builder = client.newWebSocketBuilder();
            if (password != null) {
                builder.header("Authorization", basic("alice", password));
            }
            assertThatThrownBy(() -> builder.buildAsync(chat, new Member()).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
                        assertThat(e.getResponse().statusCode()).isEqualTo(401);
                        assertThat(e.getResponse().headers().firstValue("WWW-Authenticate"))
                                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"chat\""));
                    });
        }
    }

    private Member join(String user, String password) {
        Member member = new Member();
        member.socket = client.newWebSocketBuilder().header("Authorization", basic(user, password))
                .connectTimeout(Duration.ofSeconds(10)).buildAsync(chat, member).join();
        return member;
    }

    /** Waits until the server's handler ran for each joined member, so a broadcast reaches them all. */
    private void awaitMembers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.getConnectionCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.getConnectionCount()).isEqualTo(count);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One chat client: the texts it received, in order. */
    private static final class Member implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            messages.add(data.toString());
            webSocket.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }
    }
}
