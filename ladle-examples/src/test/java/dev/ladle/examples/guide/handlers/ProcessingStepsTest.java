package dev.ladle.examples.guide.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.http.Status;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chapter's numbered processing order and its event table, step by step. */
class ProcessingStepsTest {
    private final List<String> trace = new CopyOnWriteArrayList<>();
    private CountDownLatch done = new CountDownLatch(1);
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.addAuthDomain(new BasicAuthDomain("admin", (d, m, user, password) -> password.equals("pw"), "/admin"));
        server.onRequestStarted(msg -> {
            trace.add("requestStarted");
            msg.onGotHeaders(() -> trace.add("gotHeaders"));
            msg.onWroteInformational(() -> trace.add("wroteInformational"));
            msg.onGotChunk(b -> trace.add("gotChunk"));
            msg.onGotBody(() -> trace.add("gotBody"));
            msg.onWroteHeaders(() -> trace.add("wroteHeaders " + msg.getStatus()));
            msg.onWroteBody(() -> trace.add("wroteBody"));
            msg.onFinished(() -> trace.add("finished"));
        });
        server.onRequestRead(msg -> trace.add("requestRead"));
        server.onRequestFinished(msg -> {
            trace.add("requestFinished");
            done.countDown();
        });
        server.addEarlyHandler("/", (srv, msg, path, query) -> trace.add("early"));
        server.addHandler("/", (srv, msg, path, query) -> {
            trace.add("handler");
            if (!path.equals("/silent")) {
                msg.setStatus(Status.OK);
            }
        });
        server.addEarlyHandler("/admin", (srv, msg, path, query) -> trace.add("early " + msg.getAuthUser()));
        server.addHandler("/admin", (srv, msg, path, query) -> msg.setStatus(Status.OK));
        server.listenLocal(0, Set.of());
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> awaitTrace() throws InterruptedException {
        assertThat(done.await(5, TimeUnit.SECONDS)).as("request finished; trace: %s", trace).isTrue();
        return trace;
    }

    @Test
    void aRequestWithExpectContinueWalksEveryStepInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            raw.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.readHead().status()).isEqualTo(100);
            assertThat(raw.send("abc").read().status()).isEqualTo(200);
        }
        assertThat(awaitTrace()).containsExactly("requestStarted", "gotHeaders", "early", "wroteInformational", "gotChunk",
                "gotBody", "requestRead", "handler", "wroteHeaders 200", "wroteBody", "finished", "requestFinished");
    }

    @Test
    void anAuthRefusalSkipsBothHandlersAndNeverAsksForTheBody() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /admin HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("Connection")).isEqualTo("close");
        }
        assertThat(awaitTrace()).containsExactly("requestStarted", "gotHeaders", "requestRead", "wroteHeaders 401", "wroteBody",
                "finished", "requestFinished");
    }

    @Test
    void anAcceptedUserIsKnownToTheEarlyHandler() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            assertThat(raw.send("GET /admin HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YW5uOnB3\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(awaitTrace()).contains("early ann");
    }

    @Test
    void aPathWithoutAHandlerGets404AfterItsBodyWasRead() throws Exception {
        server.removeHandler("/");
        try (RawHttp raw = new RawHttp(base)) {
            raw.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.readHead().status()).as("no status yet: the body is asked for").isEqualTo(100);
            assertThat(raw.send("abc").read().status()).isEqualTo(404);
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).as("the connection stays").isEqualTo(404);
        }
        assertThat(trace.subList(0, 7)).containsExactly("requestStarted", "gotHeaders", "wroteInformational", "gotChunk",
                "gotBody", "requestRead", "wroteHeaders 404");
    }

    @Test
    void aHandlerThatSetsNoStatusGives500AsAFinishedRequest() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            assertThat(raw.send("GET /silent HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(500);
        }
        assertThat(awaitTrace()).containsSubsequence("handler", "wroteHeaders 500", "finished", "requestFinished");
    }

    @Test
    void theNormalHandlerRunsBeforeTheWebSocketHandshakeAndCanRefuseIt() throws Exception {
        server.addHandler("/ws", (srv, msg, path, query) -> {
            if (query == null || !"s3cret".equals(query.get("token"))) {
                msg.setStatus(Status.FORBIDDEN);
            } // no status: the WebSocket step goes on with the handshake
        });
        server.addWebSocketHandler("/ws", (srv, msg, path, conn) -> conn.sendText("welcome"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI ws = URI.create("ws://" + base.getAuthority() + "/ws");
            assertThatThrownBy(() -> client.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { }).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
            WebSocket open = client.newWebSocketBuilder().buildAsync(URI.create(ws + "?token=s3cret"), new WebSocket.Listener() { }).join();
            open.abort();
        }
    }
}
