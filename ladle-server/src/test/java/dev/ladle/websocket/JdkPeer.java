package dev.ladle.websocket;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A JDK {@code java.net.http.WebSocket} client that records whole messages for blocking assertions. */
final class JdkPeer implements WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    WebSocket socket;

    /** Opens a WebSocket to {@code uri} with {@code client}; returns once the handshake succeeded. */
    static JdkPeer connect(HttpClient client, URI uri) throws Exception {
        JdkPeer peer = new JdkPeer();
        peer.socket = client.newWebSocketBuilder().buildAsync(uri, peer).get(10, TimeUnit.SECONDS);
        return peer;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            texts.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            binaries.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.countDown();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.countDown();
    }

    /** Returns the next whole text message, failing after 10 s. */
    String text() throws InterruptedException {
        String t = texts.poll(10, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no text message within 10 s");
        }
        return t;
    }

    /** Returns the next whole binary message, failing after {@code seconds}. */
    byte[] binary(long seconds) throws InterruptedException {
        byte[] b = binaries.poll(seconds, TimeUnit.SECONDS);
        if (b == null) {
            throw new AssertionError("no binary message within " + seconds + " s");
        }
        return b;
    }
}
