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
        server.listenSocket((ServerSocketChannel) inherited, Set.of());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
