package dev.ladle.tls;

import dev.ladle.server.Limits;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

/**
 * A server in its own JVM, so a test can check that nothing reaches its standard error: listens on an
 * https port (client certificates required, 300 ms handshake timeout) and a plain port, prints both
 * ports and "ready", and stops when its standard input ends.
 *
 * <p>Arguments: the server chain, the server key and the CA bundle (PEM files).
 */
public final class QuietHttpsServerMain {
    private QuietHttpsServerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Server server = new Server()) {
            server.setTlsCertificate(TlsCertificate.fromPemFiles(Path.of(args[0]), Path.of(args[1])));
            server.setTlsDatabase(TlsDatabase.fromPemFile(Path.of(args[2])));
            server.setTlsAuthMode(TlsAuthMode.REQUIRED);
            server.setLimits(new Limits().setTlsHandshakeTimeout(Duration.ofMillis(300)));
            server.addHandler("/", (s, msg, path, query) -> {
                msg.setStatus(200);
                msg.setResponse("text/plain", "ok".getBytes(StandardCharsets.UTF_8));
            });
            server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
            server.listenLocal(0, EnumSet.of(ListenOption.IPV4_ONLY));
            System.out.println(server.getUris().get(0).getPort() + " " + server.getUris().get(1).getPort());
            System.out.println("ready");
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
