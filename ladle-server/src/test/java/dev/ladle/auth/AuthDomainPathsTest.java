package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.LogCapture;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auth domains built with their paths, and the warning for a domain that covers no path, through a
 * real server and the JDK client.
 */
class AuthDomainPathsTest {
    private static final String NO_PATH = "covers no path";

    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private LogCapture log;

    @BeforeEach
    void start() throws Exception {
        log = new LogCapture("dev.ladle", "WARNING");
        server = new Server();
        server.addHandler("/", (s, msg, path, query) -> msg.setStatus(200));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        client.close();
        log.close();
    }

    private int get(String path) throws Exception {
        URI base = server.getUris().get(0);
        return client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private List<String> noPathWarnings() throws ReflectiveOperationException {
        return log.records().stream().filter(r -> r.contains(NO_PATH)).toList();
    }

    @Test
    void basicDomainBuiltWithPathsProtectsExactlyThose() throws Exception {
        BasicAuthDomain domain = new BasicAuthDomain("admin", (d, m, u, p) -> false, "/admin", "/api");
        assertThat(domain.getPaths()).containsExactly("/admin", "/api");
        server.addAuthDomain(domain);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        assertThat(get("/admin")).isEqualTo(401);
        assertThat(get("/api/users")).isEqualTo(401);
        assertThat(get("/public")).isEqualTo(200);
        assertThat(get("/administrator")).as("segment boundaries").isEqualTo(200);
        assertThat(noPathWarnings()).isEmpty();
    }

    @Test
    void digestDomainBuiltWithPathsProtectsThem() throws Exception {
        DigestAuthDomain domain = new DigestAuthDomain("ops", (d, m, u) -> null, "/ops");
        assertThat(domain.getPaths()).containsExactly("/ops");
        server.addAuthDomain(domain);
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        assertThat(get("/ops/restart")).isEqualTo(401);
        assertThat(get("/")).isEqualTo(200);
    }

    @Test
    void getPathsShowsAddedPathsWithoutRemovedOnes() {
        BasicAuthDomain domain = new BasicAuthDomain("r", null, "/a", "/b");
        domain.addPath("/c");
        domain.removePath("/b");
        domain.removePath("/a/public");
        domain.addPath(null);
        assertThat(domain.getPaths()).containsExactly("/a", "/c", "/");
        assertThat(new BasicAuthDomain("r", null).getPaths()).isEmpty();
    }

    @Test
    void aBadPathInTheConstructorIsRefused() {
        assertThatThrownBy(() -> new BasicAuthDomain("r", null, "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin");
    }

    @Test
    void aDomainWithoutPathsIsWarnedAboutOnceWhenTheServerListens() throws Exception {
        server.addAuthDomain(new BasicAuthDomain("forgotten", (d, m, u, p) -> false));
        assertThat(noPathWarnings()).as("it may still get paths before listening").isEmpty();
        server.listenLocal(0, Set.of()); // two listeners when there is IPv6, one warning
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        assertThat(noPathWarnings()).hasSize(1);
        assertThat(noPathWarnings().get(0)).startsWith("WARNING: ").contains("\"forgotten\"")
                .contains("BasicAuthDomain").contains("protects nothing");
        assertThat(get("/anything")).as("it really protects nothing").isEqualTo(200);
    }

    @Test
    void aDomainWithoutPathsAddedToAListeningServerIsWarnedAboutAtOnce() throws Exception {
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        DigestAuthDomain domain = new DigestAuthDomain("late", (d, m, u) -> null);
        server.addAuthDomain(domain);
        assertThat(noPathWarnings()).hasSize(1);
        assertThat(noPathWarnings().get(0)).contains("\"late\"").contains("DigestAuthDomain");
    }

    @Test
    void domainsThatCoverWithoutPathsAreNotWarnedAbout() throws Exception {
        BasicAuthDomain withPathLater = new BasicAuthDomain("later", null);
        withPathLater.addPath("/x");
        server.addAuthDomain(withPathLater);
        server.addAuthDomain(new BasicAuthDomain("proxy", true, null));
        server.addAuthDomain(new AuthDomain("own", false) {
            @Override
            public boolean covers(dev.ladle.server.ServerMessage msg) {
                return msg.getUri().getPath().startsWith("/own");
            }
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        assertThat(noPathWarnings()).isEmpty();
    }
}
