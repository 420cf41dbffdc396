package dev.ladle.server;

import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Started by {@link ListeningTest} with a listening socket as standard input. */
public final class InheritedChannelMain {
    private InheritedChannelMain() {
    }

    public static void main(String[] args) throws Exception {
        Channel inherited = System.inheritedChannel();
        Server server = new Server();
        server.addHandler("/", (s, m, p, q) -> {
            m.setResponse("text/plain", "inherited".getBytes(StandardCharsets.UTF_8));
            m.setStatus(200);
        });
        // one request is all the test needs: leave then, and never outlive it by more than 20 s
        server.onRequestFinished(m -> Thread.ofVirtual().start(() -> {
            server.close();
            System.exit(0);
        }));
        server.listenSocket((ServerSocketChannel) inherited, Set.of());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(20_000);
        System.exit(0);
    }
}
