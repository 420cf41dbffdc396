package dev.ladle.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ServerMessage;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a {@link Router} accepts as routes, and how it looks them up, without a server. */
class RouterRegistrationTest {
    private static final RouteHandler NOTHING = msg -> { };

    @Test
    void routeOfTheSameMethodAndShapeConflicts() {
        Router router = new Router().get("/todos/{id}", NOTHING);
        assertThatThrownBy(() -> router.get("/todos/{key}", NOTHING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GET /todos/{key} conflicts with GET /todos/{id}: they match the same paths");
        assertThatThrownBy(() -> router.get("/todos/{id}", NOTHING)).isInstanceOf(IllegalArgumentException.class);
        assertThat(router.getRoutes()).hasSize(1);
    }

    @Test
    void sameShapeForAnotherMethodOrALiteralIsNoConflict() {
        Router router = new Router()
                .get("/todos/{id}", NOTHING)
                .delete("/todos/{key}", NOTHING)
                .get("/todos/new", NOTHING)
                .get("/todos/{id}/{rest...}", NOTHING);
        assertThat(router.getRoutes()).extracting(Route::toString).containsExactly(
                "GET /todos/{id}", "DELETE /todos/{key}", "GET /todos/new", "GET /todos/{id}/{rest...}");
    }

    @Test
    void invalidMethodIsRefused() {
        assertThatThrownBy(() -> new Router().add("GET /x", "/x", NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an HTTP method: \"GET /x\"");
    }

    @Test
    void badTemplateIsRefusedWithItsReason() {
        assertThatThrownBy(() -> new Router().get("/a/{x...}/b", NOTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be the last segment");
    }

    @Test
    void eachMethodTakesTheMostSpecificTemplateThatHasIt() {
        Router router = new Router()
                .get("/a/{x}", NOTHING)
                .get("/a/b", NOTHING)
                .put("/a/{x}", NOTHING)
                .get("/{rest...}", NOTHING);
        assertThat(router.match("GET", "/a/b").route().template()).hasToString("/a/b");
        assertThat(router.match("PUT", "/a/b").route().template()).hasToString("/a/{x}");
        assertThat(router.match("PUT", "/a/b").values()).isEqualTo(Map.of("x", "b"));
        assertThat(router.match("GET", "/a/b/c").route().template()).hasToString("/{rest...}");
        assertThat(router.match("HEAD", "/a/c").route().method()).isEqualTo("GET");
        assertThat(router.match("POST", "/a/b").allow()).isEqualTo("GET, HEAD, PUT, OPTIONS");
        assertThat(router.match("GET", "*").allow()).isNull();
    }

    @Test
    void theBodyIsLeftUnreadOnlyForTheStreamingRouteThatWillAnswer() {
        Router router = new Router()
                .postStreaming("/up/{name}", NOTHING)
                .post("/up/small", NOTHING)
                .get("/up/{name}", NOTHING);
        assertThat(streams(router, "POST", "/up/big.bin")).isTrue();
        // the literal answers, and it keeps its body
        assertThat(streams(router, "POST", "/up/small")).isFalse();
        // the template matches but has no PUT route: the 405 reads nothing
        assertThat(streams(router, "PUT", "/up/big.bin")).isFalse();
        assertThat(streams(router, "POST", "/elsewhere")).isFalse();
    }

    /** Asks {@code router} about a message that has only a method, as the default handler. */
    private static boolean streams(Router router, String method, String path) {
        ServerMessage msg = (ServerMessage) Proxy.newProxyInstance(ServerMessage.class.getClassLoader(),
                new Class<?>[] {ServerMessage.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getMethod")) {
                        return method;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return router.streamsRequestBody(msg, path);
    }

    @Test
    void pathBelowThePrefix() {
        assertThat(Router.below("/", "/x/y")).isEqualTo("/x/y");
        assertThat(Router.below("/api", "/api/x")).isEqualTo("/x");
        assertThat(Router.below("/api/", "/api/x")).isEqualTo("/x");
        assertThat(Router.below("/api", "/api")).isEqualTo("/");
        assertThat(Router.below("/api", "/api/")).isEqualTo("/");
        // only on a segment boundary: a path the prefix does not cover is matched whole
        assertThat(Router.below("/api", "/apix")).isEqualTo("/apix");
    }

    @Test
    void statusOfAMappingMustBeAThreeDigitCode() {
        assertThatThrownBy(() -> new Router().exception(RuntimeException.class, 42))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
