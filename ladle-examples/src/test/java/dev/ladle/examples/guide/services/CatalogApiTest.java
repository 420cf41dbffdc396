package dev.ladle.examples.guide.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.examples.guide.GuideHttp;
import dev.ladle.examples.guide.handlers.RawHttp;
import dev.ladle.route.Router;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalog router: templates, what the router answers itself, filters, the JSON exception answer, codecs' 4xx. */
class CatalogApiTest {
    private static final String TOKEN = "s3cret";
    private static final String BOOK = "{\"isbn\":\"1\",\"title\":\"Dune\",\"year\":1965}";

    private Server server;
    private URI base;
    private GuideHttp http;

    @BeforeEach
    void start() throws Exception {
        server = CatalogApi.start(TOKEN);
        base = server.getUris().get(0);
        http = new GuideHttp(base);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return http.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** PUTs {@code body} as {@code contentType} to /api/books/{@code isbn} with the token. */
    private HttpResponse<String> putWithToken(String isbn, String body, String contentType) throws Exception {
        return send("PUT", "/api/books/" + isbn, body, "Authorization", "Bearer " + TOKEN, "Content-Type", contentType);
    }

    private void put(String isbn, String json) throws Exception {
        assertThat(putWithToken(isbn, json, "application/json").statusCode()).isEqualTo(204);
    }

    @Test
    void aBookPutWithTheTokenIsReadBackAsJson() throws Exception {
        put("1", BOOK);
        HttpResponse<String> r = send("GET", "/api/books/1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo(BOOK);
    }

    @Test
    void aLiteralSegmentBeatsAParameter() throws Exception {
        put("1", BOOK);
        put("2", "{\"isbn\":\"2\",\"title\":\"Neuromancer\",\"year\":1984}");
        assertThat(send("GET", "/api/books/latest", null).body()).contains("Neuromancer");
    }

    @Test
    void theRestParameterTakesSlashesAndMayBeEmptyButNeedsItsSlash() throws Exception {
        assertThat(send("GET", "/api/shelves/sf/classics", null).body()).isEqualTo("shelf sf/classics\n");
        assertThat(send("GET", "/api/shelves/", null).body()).isEqualTo("shelf \n");
        assertThat(send("GET", "/api/shelves", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownBookIsTheMappedJsonProblemWithTheAfterFiltersHeader() throws Exception {
        HttpResponse<String> r = send("GET", "/api/books/9", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"title\":\"not found\",\"detail\":\"no book 9\"}");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void aPutWithoutTheTokenIs401FromTheBeforeFilterAndStillGetsTheAfterFiltersHeader() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/books/1", BOOK, "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(send("GET", "/api/books/1", null).statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void theBeforeFilterRunsAlsoForRequestsNoRouteAnswers() throws Exception {
        assertThat(send("PUT", "/api/nothing", "x").statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/api/nothing", "x", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aMethodWithoutARouteIs405ListingTheMethodsOfEveryMatchingTemplate() throws Exception {
        HttpResponse<String> r = send("DELETE", "/api/books/latest", null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, OPTIONS");
    }

    @Test
    void optionsIs204WithAllowAndHeadIsServedByGet() throws Exception {
        HttpResponse<String> options = send("OPTIONS", "/api/books/1", null);
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, OPTIONS");
        put("1", BOOK);
        HttpResponse<String> head = send("HEAD", "/api/books/1", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(BOOK.length()));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void templatesMatchBelowThePrefixOnly() throws Exception {
        put("1", BOOK);
        assertThat(send("GET", "/books/1", null).statusCode()).as("no handler at /books").isEqualTo(404);
        assertThat(send("GET", "/api", null).statusCode()).as("the router sees / and has no route for it").isEqualTo(404);
    }

    @Test
    void malformedJsonIs400SayingWhere() throws Exception {
        HttpResponse<String> r = putWithToken("1", "{\"isbn\":\"1\",\"title\":\"Dune\",\"year\":\"soon\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("malformed JSON: Cannot deserialize value of type `int` from String \"soon\": not a valid `int` value at $.year (line 1, column 35)\n");
    }

    @Test
    void anUnknownPropertyIs400() throws Exception {
        HttpResponse<String> r = putWithToken("1", "{\"isbn\":\"1\",\"title\":\"Dune\",\"year\":1965,\"price\":9}", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("malformed JSON: unknown property \"price\" at $.price (line 1, column 49)\n");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> r = putWithToken("1", "title=Dune", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).isEqualTo("a request body of type application/x-www-form-urlencoded is not accepted here\n");
    }

    @Test
    void anAcceptThatRefusesJsonIs406() throws Exception {
        put("1", BOOK);
        HttpResponse<String> r = send("GET", "/api/books/1", null, "Accept", "text/html");
        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(r.body()).isEqualTo("the response cannot be sent as any type the Accept header allows; it can be sent as application/json\n");
        assertThat(send("GET", "/api/books/1", null, "Accept", "text/html, application/*;q=0.5").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/shelves/a", null, "Accept", "application/json").statusCode()).as("a String is text/plain only").isEqualTo(406);
    }

    @Test
    void thePathParameterIsPercentDecoded() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            assertThat(raw.send("GET /api/shelves/caf%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("shelf caf\u00e9\n");
        }
    }

    @Test
    void aBodyWithoutAContentTypeIs415() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/books/1", BOOK, "Authorization", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).isEqualTo("the request body needs a Content-Type\n");
    }

    @Test
    void twoRoutesOfOneMethodWithTheSameShapeAreRefused() {
        Router router = new Router().get("/books/{isbn}", msg -> msg.setStatus(200));
        assertThatThrownBy(() -> router.get("/books/{id}", msg -> msg.setStatus(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("match the same paths");
        assertThatThrownBy(() -> router.get("/files/{rest...}/x", msg -> msg.setStatus(200))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getRequestBodyAsThrowsInAnEarlyHandlerAndInAStreamingRoute() throws Exception {
        server.addEarlyHandler("/early", (srv, msg, path, query) -> msg.getRequestBodyAs(String.class));
        server.addHandler("/streaming", new Router().putStreaming("/", msg -> msg.getRequestBodyAs(String.class))
                .exception(IllegalStateException.class, 500));
        assertThat(send("PUT", "/early", "x", "Content-Type", "text/plain").statusCode()).isEqualTo(500);
        HttpResponse<String> streaming = send("PUT", "/streaming", "x", "Content-Type", "text/plain");
        assertThat(streaming.statusCode()).isEqualTo(500);
        assertThat(streaming.body()).startsWith("the request body is read by the time normal handlers run");
    }
}
