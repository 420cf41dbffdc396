package dev.ladle.bench.mocks;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.http.HttpClient;
import java.util.Objects;

/**
 * WireMock 3 as a test embeds it: a {@link WireMockServer} on a dynamic port with the default options,
 * {@code start()}, {@code stubFor(get("/hello").willReturn(ok(...)))}, the request, {@code stop()}. HTTPS:
 * plain HTTP off and {@link TestKey}'s PKCS#12 file as the key store (read at each start, as WireMock
 * reads its own). The class path has {@code wiremock-standalone}: the same code with its dependencies
 * relocated (see ladle-bench's pom).
 */
public final class WireMockCycle implements MockLibrary {
    private final HttpClient client;
    private final boolean https;

    /** A cycle sending with {@code client}, which must trust {@link TestKey#clientContext()} when {@code https}. */
    public WireMockCycle(HttpClient client, boolean https) {
        this.client = Objects.requireNonNull(client, "client");
        this.https = https;
    }

    @Override
    public String library() {
        return "wiremock";
    }

    @Override
    public boolean https() {
        return https;
    }

    @Override
    public void cycle() throws Exception {
        WireMockServer server = new WireMockServer(configuration());
        server.start();
        try {
            server.stubFor(get(HelloRequest.PATH).willReturn(ok(HelloRequest.BODY).withHeader("Content-Type", HelloRequest.CONTENT_TYPE)));
            HelloRequest.send(client, HelloRequest.uri(https, https ? server.httpsPort() : server.port()));
        } finally {
            server.stop();
        }
    }

    private WireMockConfiguration configuration() {
        if (!https) {
            return options().dynamicPort();
        }
        TestKey key = TestKey.get();
        return options().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(key.pkcs12File().toString()).keystoreType("PKCS12")
                .keystorePassword(key.password()).keyManagerPassword(key.password());
    }
}
