package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK WebSocket client session for the {@code --ws-echo} tests, directly and through a balancer. It
 * queues what the server sends, in order: a text message as a String, a binary one as a byte[], a close
 * as {@code "close CODE"} (also completing {@link #closeCode}), a failure as {@code "error ..."}.
 */
final class WebSocketSession implements WebSocket.Listener {
    private static final long WAIT_SECONDS = HttpdProcess.WAIT.toSeconds();

    /** The close code the server sent; completed exceptionally when the session failed instead. */
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    private WebSocketSession() {
    }

    /** Opens a session to {@code uri}, offering {@code subprotocols} (in order of preference) when given. */
    static WebSocketSession open(URI uri, String... subprotocols) throws Exception {
        WebSocketSession session = new WebSocketSession();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        session.socket = builder.buildAsync(uri, session).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return session;
    }

    /** The client's side of the session, to send on. */
    WebSocket socket() {
        return socket;
    }

    /** Waits for what the server sent next (see the class comment); fails when nothing comes within the wait. */
    Object next() throws InterruptedException {
        Object item = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(item).as("a message within %d s", WAIT_SECONDS).isNotNull();
        return item;
    }

    /** Sends {@code message} as text and returns what came next, which an echo makes that text again. */
    Object echo(String message) throws Exception {
        socket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return next();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.add(text.toString());
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            received.add(binary.toByteArray());
            binary.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        received.add("close " + statusCode);
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        received.add("error " + error);
        closeCode.completeExceptionally(error);
    }
}
