package dev.ladle.examples.guide.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.HttpVersion;
import dev.ladle.junit.LadleExtension;
import dev.ladle.junit.MockResponse;
import dev.ladle.junit.MockServer;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testing chapter's HTTPS mock server: the client trusts its certificate and speaks HTTP/2 to it. */
class HttpsUserClientTest {
    // tag::https[]
    @RegisterExtension
    LadleExtension ladle = LadleExtension.using(() -> MockServer.builder().https().start());

    @Test
    void fetchesAUserOverHttps() throws Exception {
        MockServer server = ladle.server();
        server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));
        HttpClient http = HttpClient.newBuilder().sslContext(server.sslContext()).build(); // trusts the mock's certificate

        assertThat(new UserClient(http, server.uri()).name(7)).isEqualTo("Ada");

        assertThat(server.uri().getScheme()).isEqualTo("https");
        assertThat(server.takeRequest().version()).isEqualTo(HttpVersion.HTTP_2); // h2 by ALPN
    }
    // end::https[]
}
