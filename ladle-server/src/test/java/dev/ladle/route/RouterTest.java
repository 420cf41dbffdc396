package dev.ladle.route;

import static dev.ladle.route.Texts.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.BothProtocols;
import dev.ladle.server.Protocol;
import dev.ladle.server.ProtocolClient;
import dev.ladle.server.ProtocolClient.Request;
import dev.ladle.server.ProtocolClient.Response;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Router} on a real server, over HTTP/1.1 and h2c: matching, the answers the router makes
 * itself (404, 405, HEAD, OPTIONS), filters, exception mapping and mounting under a prefix.
 */
class RouterTest {

    /** A subclass two levels below a mapped IOException, one below a mapped FileNotFoundException. */
    private static final class MissingTodo extends FileNotFoundException {
        private static final long serialVersionUID = 1L;

        MissingTodo(String message) {
            super(message);
        }
    }

    private static Router todos() {
        return new Router()
                .get("/todos", msg -> ok(msg, "list"))
                .get("/todos/new", msg -> ok(msg, "form"))
                .get("/todos/{id}", msg -> ok(msg, "todo " + msg.getPathParameter("id")))
                .put("/todos/{id}", msg -> ok(msg, "put " + msg.getPathParameter("id")))
                .delete("/todos/{id}", msg -> ok(msg, "deleted " + msg.getPathParameter("id")))
                .get("/todos/{id}/notes/{note}", msg -> ok(msg, msg.getPathParameters().toString()))
                .get("/files/{path...}", msg -> ok(msg, "file [" + msg.getPathParameter("path") + "]"));
    }

    @BothProtocols
    void templateParameterValuesAreOnTheMessage(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/todos/7").bodyText()).isEqualTo("todo 7");
            assertThat(c.get("/todos/7/notes/b2").bodyText()).isEqualTo("{id=7, note=b2}");
        }
    }

    @BothProtocols
    void parameterValuesArePercentDecoded(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/todos/caf%C3%A9%20au%20lait").bodyText()).isEqualTo("todo café au lait");
        }
    }

    @BothProtocols
    void restParameterTakesTheRemainderWithItsSlashes(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/files/a/b/c.txt").bodyText()).isEqualTo("file [a/b/c.txt]");
            assertThat(c.get("/files/").bodyText()).isEqualTo("file []");
            assertThat(c.get("/files").status()).isEqualTo(404);
        }
    }

    @BothProtocols
    void literalSegmentWinsOverParameter(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/todos/new").bodyText()).isEqualTo("form");
            assertThat(c.get("/todos/old").bodyText()).isEqualTo("todo old");
        }
    }

    @BothProtocols
    void literalTemplateWithoutTheMethodFallsThroughToTheParameterTemplateThatHasIt(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("DELETE", "/todos/new")).read();
            assertThat(r.bodyText()).isEqualTo("deleted new");
        }
    }

    @BothProtocols
    void pathWithoutARouteIsNotFound(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/nothing/here").status()).isEqualTo(404);
            // a parameter never matches an empty segment, and a trailing slash counts
            assertThat(c.get("/todos//notes/1").status()).isEqualTo(404);
            assertThat(c.get("/todos/").status()).isEqualTo(404);
        }
    }

    @BothProtocols
    void pathWithoutARouteForTheMethodIs405WithAllow(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("POST", "/todos/7").body("x")).read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, PUT, DELETE, OPTIONS");
            // both templates match /todos/new: Allow is their union
            Response n = c.send(Request.of("PATCH", "/todos/new")).read();
            assertThat(n.status()).isEqualTo(405);
            assertThat(n.header("Allow")).isEqualTo("GET, HEAD, PUT, DELETE, OPTIONS");
            Response list = c.send(Request.of("DELETE", "/todos")).read();
            assertThat(list.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
    }

    @BothProtocols
    void headIsServedByTheGetRouteWithItsHeadersAndNoBody(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            Response get = c.get("/todos/7");
            Response head = c.send(Request.of("HEAD", "/todos/7")).read();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length")).isEqualTo("6");
            // the connection is still in step after a bodiless response
            assertThat(c.get("/todos").bodyText()).isEqualTo("list");
        }
    }

    @BothProtocols
    void explicitHeadRouteWinsOverGet(Protocol protocol) throws Exception {
        Router router = new Router()
                .get("/x", msg -> ok(msg, "get"))
                .add("HEAD", "/x", msg -> {
                    msg.getResponseHeaders().append("X-Head", "own");
                    msg.setStatus(200);
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("HEAD", "/x")).read();
            assertThat(r.header("X-Head")).isEqualTo("own");
        }
    }

    @BothProtocols
    void optionsIsAnsweredWithAllow(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start(todos()); ProtocolClient c = s.connect(protocol)) {
            Response r = c.send(Request.of("OPTIONS", "/todos/7")).read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, PUT, DELETE, OPTIONS");
            assertThat(r.body()).isEmpty();
            assertThat(c.send(Request.of("OPTIONS", "/nothing")).read().status()).isEqualTo(404);
        }
    }

    @BothProtocols
    void explicitOptionsRouteWinsOverTheAutomaticAnswer(Protocol protocol) throws Exception {
        Router router = new Router()
                .get("/x", msg -> ok(msg, "get"))
                .add("OPTIONS", "/x", msg -> ok(msg, "mine"));
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.send(Request.of("OPTIONS", "/x")).read().bodyText()).isEqualTo("mine");
            Response r = c.send(Request.of("PUT", "/x").body("b")).read();
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
    }

    @BothProtocols
    void beforeFilterThatSetsAStatusEndsTheRequest(Protocol protocol) throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        Router router = new Router()
                .before(msg -> {
                    ran.add("auth");
                    if (msg.getRequestHeaders().getOne("X-Token") == null) {
                        msg.setStatus(401);
                    }
                })
                .before(msg -> ran.add("second"))
                .get("/secret/{id}", msg -> {
                    ran.add("handler " + msg.getPathParameter("id"));
                    ok(msg, "secret");
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/secret/1").status()).isEqualTo(401);
            assertThat(ran).containsExactly("auth");
            ran.clear();
            assertThat(c.get("/secret/2", "X-Token: t").bodyText()).isEqualTo("secret");
            assertThat(ran).containsExactly("auth", "second", "handler 2");
        }
    }

    @BothProtocols
    void beforeFiltersSeeThePathParametersOfTheMatchedRoute(Protocol protocol) throws Exception {
        Router router = new Router()
                .before(msg -> {
                    if ("0".equals(msg.getPathParameter("id"))) {
                        msg.setStatus(403);
                    }
                })
                .get("/items/{id}", msg -> ok(msg, "item"));
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/items/0").status()).isEqualTo(403);
            assertThat(c.get("/items/1").status()).isEqualTo(200);
        }
    }

    @BothProtocols
    void afterFiltersRunAfterTheHandlerAndAfterABeforeFilterEndedTheRequest(Protocol protocol) throws Exception {
        Router router = new Router()
                .before(msg -> {
                    if (msg.getQueryParameter("deny") != null) {
                        msg.setStatus(403);
                    }
                })
                .after(msg -> msg.getResponseHeaders().append("X-Status-Seen", String.valueOf(msg.getStatus())))
                .get("/x", msg -> ok(msg, "x"));
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/x").header("X-Status-Seen")).isEqualTo("200");
            assertThat(c.get("/x?deny=1").header("X-Status-Seen")).isEqualTo("403");
            // the router's own answers too
            assertThat(c.get("/none").header("X-Status-Seen")).isEqualTo("404");
        }
    }

    @BothProtocols
    void mappedExceptionAnswersItsStatusWithTheMessageAsPlainText(Protocol protocol) throws Exception {
        Router router = new Router()
                .exception(IllegalArgumentException.class, 400)
                .get("/x", msg -> {
                    msg.setResponse("application/json", "{\"half\":".getBytes());
                    throw new IllegalArgumentException("id must be a number");
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.get("/x");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.bodyText()).isEqualTo("id must be a number");
        }
    }

    @BothProtocols
    void subclassIsAnsweredByTheNearestMappedSuperclass(Protocol protocol) throws Exception {
        Router router = new Router()
                .exception(IOException.class, 503)
                .exception(FileNotFoundException.class, 404)
                .get("/missing", msg -> {
                    // nearest is FileNotFoundException, not IOException
                    throw new MissingTodo("no such file");
                })
                .get("/nosuch", msg -> {
                    // NoSuchFileException extends FileSystemException extends IOException
                    throw new NoSuchFileException("a.txt");
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            Response missing = c.get("/missing");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).isEqualTo("no such file");
            Response nosuch = c.get("/nosuch");
            assertThat(nosuch.status()).isEqualTo(503);
            assertThat(nosuch.bodyText()).isEqualTo("a.txt");
        }
    }

    @BothProtocols
    void exceptionMappedToAHandlerIsAnsweredByIt(Protocol protocol) throws Exception {
        Router router = new Router()
                .exception(IllegalStateException.class, (e, msg) -> {
                    msg.getResponseHeaders().append("X-Problem", e.getMessage());
                    msg.setResponse("application/problem+json", "{\"status\":409}".getBytes());
                    msg.setStatus(409);
                })
                .get("/x", msg -> {
                    throw new IllegalStateException("busy");
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.get("/x");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.header("X-Problem")).isEqualTo("busy");
            assertThat(r.bodyText()).isEqualTo("{\"status\":409}");
        }
    }

    @BothProtocols
    void unmappedExceptionIsTheServers500AndSkipsTheAfterFilters(Protocol protocol) throws Exception {
        List<String> after = new CopyOnWriteArrayList<>();
        Router router = new Router()
                .exception(IllegalArgumentException.class, 400)
                .after(msg -> after.add(msg.getMethod()))
                .get("/x", msg -> {
                    throw new IllegalStateException("hidden-detail");
                })
                .get("/y", msg -> {
                    throw new IllegalArgumentException("shown");
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.get("/x");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.text()).doesNotContain("hidden-detail").doesNotContain("Exception");
            assertThat(after).isEmpty();
            assertThat(c.get("/y").status()).isEqualTo(400);
            assertThat(after).containsExactly("GET");
        }
    }

    @BothProtocols
    void mappedExceptionAfterTheResponseHeadWentOutCutsTheResponse(Protocol protocol) throws Exception {
        Router router = new Router()
                .exception(IllegalArgumentException.class, 400)
                .get("/x", msg -> {
                    msg.setStatus(200);
                    java.io.OutputStream out = msg.getResponseBodyStream();
                    out.write("partial".getBytes());
                    out.flush();
                    throw new IllegalArgumentException("too late for a 400");
                });
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            c.send(Request.get("/x"));
            assertThat(c.readHead().status()).isEqualTo(200);
            StringBuilder body = new StringBuilder();
            boolean cut;
            try {
                for (byte[] piece; (piece = c.readBodyPiece()) != null; ) {
                    body.append(new String(piece, java.nio.charset.StandardCharsets.UTF_8));
                }
                // HTTP/2: the stream was reset
                cut = c.endedByServer(10_000);
            } catch (IOException e) {
                // HTTP/1.1: the connection closed inside the chunked body
                cut = true;
            }
            assertThat(body.toString()).isEqualTo("partial");
            assertThat(cut).as("the response was cut, not ended").isTrue();
        }
    }

    @BothProtocols
    void exceptionFromABeforeFilterIsMappedToo(Protocol protocol) throws Exception {
        Router router = new Router()
                .exception(SecurityException.class, 403)
                .before(msg -> {
                    throw new SecurityException("not you");
                })
                .get("/x", msg -> ok(msg, "x"));
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            Response r = c.get("/x");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).isEqualTo("not you");
        }
    }

    @BothProtocols
    void routerUnderAPrefixMatchesThePathBelowIt(Protocol protocol) throws Exception {
        Router api = todos().get("/", msg -> ok(msg, "api root"));
        try (RoutedServer s = RoutedServer.start("/api", api); ProtocolClient c = s.connect(protocol)) {
            s.server.addHandler(null, (srv, msg, path, query) -> ok(msg, "default " + path));
            assertThat(c.get("/api/todos/7").bodyText()).isEqualTo("todo 7");
            assertThat(c.get("/api").bodyText()).isEqualTo("api root");
            assertThat(c.get("/api/").bodyText()).isEqualTo("api root");
            // the full path is not a template of the router
            assertThat(c.get("/api/api/todos/7").status()).isEqualTo(404);
            // outside the prefix the router is not asked
            assertThat(c.get("/todos/7").bodyText()).isEqualTo("default /todos/7");
            assertThat(c.get("/apix/todos/7").bodyText()).isEqualTo("default /apix/todos/7");
        }
    }

    @BothProtocols
    void oneRouterServesSeveralPrefixes(Protocol protocol) throws Exception {
        Router api = todos();
        try (RoutedServer s = RoutedServer.start("/v1", api); ProtocolClient c = s.connect(protocol)) {
            s.server.addHandler("/v2/", api);
            assertThat(c.get("/v1/todos/1").bodyText()).isEqualTo("todo 1");
            assertThat(c.get("/v2/todos/2").bodyText()).isEqualTo("todo 2");
        }
    }

    @BothProtocols
    void anEarlyHandlerAtTheRoutersPrefixRunsFirstAndCanRefuseBeforeAnyRoute(Protocol protocol) throws Exception {
        List<String> routed = new CopyOnWriteArrayList<>();
        Router api = new Router().post("/todos", msg -> {
            routed.add(msg.getPathParameters().toString());
            ok(msg, "created");
        });
        try (RoutedServer s = RoutedServer.start("/api", api); ProtocolClient c = s.connect(protocol)) {
            s.server.addEarlyHandler("/api", (srv, msg, path, query) -> {
                if (msg.getRequestHeaders().getOne("X-Key") == null) {
                    msg.setStatus(403);
                }
            });
            Response refused = c.send(Request.of("POST", "/api/todos").header("Content-Length", "0")).read();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(routed).isEmpty();
            Response allowed = c.send(Request.of("POST", "/api/todos").header("Content-Length", "0")
                    .header("X-Key", "k")).read();
            assertThat(allowed.bodyText()).isEqualTo("created");
            assertThat(routed).containsExactly("{}");
        }
    }

    @BothProtocols
    void queryParametersAreOnTheMessage(Protocol protocol) throws Exception {
        Router router = new Router().get("/search", msg -> ok(msg,
                msg.getQueryParameter("q") + " " + msg.getQueryParameters().size() + " " + msg.getQueryParameter("none")));
        try (RoutedServer s = RoutedServer.start(router); ProtocolClient c = s.connect(protocol)) {
            assertThat(c.get("/search?q=a+b&page=2").bodyText()).isEqualTo("a b 2 null");
            assertThat(c.get("/search").bodyText()).isEqualTo("null 0 null");
        }
    }

    @BothProtocols
    void messageOutsideAnyRouteHasNoPathParameters(Protocol protocol) throws Exception {
        try (RoutedServer s = RoutedServer.start("/r", todos()); ProtocolClient c = s.connect(protocol)) {
            s.server.addHandler(null, (srv, msg, path, query) ->
                    ok(msg, msg.getPathParameters() + " " + msg.getPathParameter("id")));
            assertThat(c.get("/todos/7").bodyText()).isEqualTo("{} null");
        }
    }
}
