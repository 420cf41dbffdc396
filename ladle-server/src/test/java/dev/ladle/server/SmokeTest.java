package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void answersAGetWithTheJdkClient() throws Exception {
        try (Server server = new Server()) {
            server.addHandler("/hello", (srv, msg, path, query) -> {
                msg.setResponse("text/plain", ("hi " + path + " " + query).getBytes(StandardCharsets.UTF_8));
                msg.setStatus(200);
            });
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            URI base = server.getUris().get(0);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/hello/x?a=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hi /hello/x {a=1}");
            try (WireClient c = new WireClient(base)) {
                c.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(404);
            }
        }
    }
}
