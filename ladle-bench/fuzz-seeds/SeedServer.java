/** The server the seed traffic was captured against: a page that opens a WebSocket, an echo endpoint, Digest at /digest. */
import dev.ladle.server.*;
import dev.ladle.http.*;
import java.util.*;
public class SeedServer {
    public static void main(String[] a) throws Exception {
        Server s = new Server();
        s.setH2cEnabled(true);
        s.addHandler("/", (srv, msg, path, q) -> {
            msg.setStatus(200);
            msg.getResponseHeaders().replace("Content-Type", "text/html");
            msg.getResponseBody().append(("<html><body>ok " + path + "<script>var w=new WebSocket('ws://'+location.host+'/ws');w.onopen=()=>{w.send('hello h\u00e9llo');w.send(new Uint8Array([1,2,3,250]));w.send('x'.repeat(300));w.send('y'.repeat(70000));w.close(1000,'bye');};</script></body></html>").getBytes("UTF-8"));
        });
        s.addWebSocketHandler("/ws", null, null, (srv, msg, path, conn) -> {
            conn.onMessage((t, b) -> conn.sendMessage(t, b));
        });
        dev.ladle.auth.DigestAuthDomain d = new dev.ladle.auth.DigestAuthDomain("fuzz realm", (dom, m, u) -> dev.ladle.auth.DigestAuthDomain.encodePassword(u, "fuzz realm", "secret"));
        d.addPath("/digest");
        s.addAuthDomain(d);
        s.listenLocal(Integer.parseInt(a[0]), Set.of());
        System.out.println("listening " + s.getUris());
        Thread.sleep(Long.MAX_VALUE);
    }
}
