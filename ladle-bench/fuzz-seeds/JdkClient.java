/** The JDK HttpClient side of the seed capture: HTTP/1.1 requests, an h2c upgrade, a WebSocket session. */
import java.net.*; import java.net.http.*; import java.util.concurrent.*; import java.nio.ByteBuffer;
public class JdkClient {
    public static void main(String[] a) throws Exception {
        String base = "http://127.0.0.1:18470";
        HttpClient c1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        c1.send(HttpRequest.newBuilder(URI.create(base + "/jdk?x=%20y")).header("Accept-Language", "de").build(), HttpResponse.BodyHandlers.discarding());
        c1.send(HttpRequest.newBuilder(URI.create(base + "/jdk-post")).POST(HttpRequest.BodyPublishers.ofString("k=v&k=w")).header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.discarding());
        c1.send(HttpRequest.newBuilder(URI.create(base + "/jdk-stream")).POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("streamed body of unknown length".getBytes()))).build(), HttpResponse.BodyHandlers.discarding());
        HttpClient c2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        c2.send(HttpRequest.newBuilder(URI.create(base + "/jdk-h2c")).build(), HttpResponse.BodyHandlers.discarding());
        c2.send(HttpRequest.newBuilder(URI.create(base + "/jdk-h2c-2")).POST(HttpRequest.BodyPublishers.ofString("second")).build(), HttpResponse.BodyHandlers.discarding());
        CountDownLatch closed = new CountDownLatch(1);
        WebSocket ws = c1.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:18470/ws"), new WebSocket.Listener() {
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) { closed.countDown(); return null; }
        }).join();
        ws.sendText("hello from the JDK \u00e9\u20ac", true).join();
        ws.sendText("frag", false).join();
        ws.sendText("mented", true).join();
        ws.sendBinary(ByteBuffer.wrap(new byte[]{0, 1, 2, (byte) 255}), true).join();
        ws.sendPing(ByteBuffer.wrap("ping".getBytes())).join();
        ws.sendText("z".repeat(200), true).join();
        ws.sendClose(1000, "done").join();
        closed.await(5, TimeUnit.SECONDS);
    }
}
