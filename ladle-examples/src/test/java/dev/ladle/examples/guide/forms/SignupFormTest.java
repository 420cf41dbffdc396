package dev.ladle.examples.guide.forms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.GuideHttp;
import dev.ladle.examples.guide.handlers.RawHttp;
import dev.ladle.http.Forms;
import dev.ladle.http.Multipart;
import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A form read with getRequestBodyAs(Form.class): URL-encoded or multipart, and what bad input gets. */
class SignupFormTest {
    private Server server;
    private URI base;
    private GuideHttp http;

    @BeforeEach
    void start() throws Exception {
        server = SignupForm.start();
        base = server.getUris().get(0);
        http = new GuideHttp(base);
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.post(path, contentType, body);
    }

    private HttpResponse<String> postForm(String form) throws Exception {
        return post("/signup", Forms.MIME_TYPE_URLENCODED, form.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** POSTs {@code body} to /signup as {@code contentType} and checks the status and the text of the answer. */
    private void assertAnswer(String contentType, String body, int status, String text) throws Exception {
        HttpResponse<String> r = post("/signup", contentType, body.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(text);
    }

    /** Runs curl against /signup with {@code args} and checks that the whole form was read. */
    private void assertCurlSignsUpAda(String... args) throws Exception {
        Curl.Result r = Curl.run(base.resolve("/signup"), args);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("ada@example.com subscribed to [news, releases]\n");
    }

    @Test
    void aUrlEncodedFormFromCurlIsReadWithEveryValueOfARepeatedField() throws Exception {
        assertCurlSignsUpAda("-d", "email=ada%40example.com&topic=news&topic=releases");
    }

    @Test
    void theSameHandlerReadsAMultipartFormFromCurl() throws Exception {
        assertCurlSignsUpAda("-F", "email=ada@example.com", "-F", "topic=news", "-F", "topic=releases");
    }

    @Test
    void plusIsASpaceAndEscapesAreUtf8AndTheLastValueWins() throws Exception {
        HttpResponse<String> r = postForm("email=first&email=J%C3%BCrgen+M");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("J\u00fcrgen M subscribed to []\n");
    }

    @Test
    void formsEncodeWritesWhatTheHandlerReadsBack() throws Exception {
        String encoded = Forms.encode(Map.of("email", "J\u00fcrgen M <j@example.com>"));
        assertThat(encoded).isEqualTo("email=J%C3%BCrgen+M+%3Cj%40example.com%3E");
        assertThat(postForm(encoded).body()).isEqualTo("J\u00fcrgen M <j@example.com> subscribed to []\n");
    }

    @Test
    void aFormCanBeReadAsAMapOfLastValues() throws Exception {
        server.addHandler("/map", (srv, msg, path, query) -> msg.setResponseValue(msg.getRequestBodyAs(Map.class).toString()));
        assertThat(post("/map", Forms.MIME_TYPE_URLENCODED, "a=1&b=2&a=3".getBytes(StandardCharsets.US_ASCII)).body())
                .isEqualTo("{a=3, b=2}");
    }

    @Test
    void aFormOverTheBodyLimitIs413BeforeTheHandlerRuns() throws Exception {
        server.setLimits(new Limits().setMaxRequestBodySize(1000));
        HttpResponse<String> r = postForm("email=" + "x".repeat(1000));
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void aPairWithoutAnEqualsSignIsDropped() throws Exception {
        assertThat(postForm("topic&email=x").body()).isEqualTo("x subscribed to []\n");
    }

    @Test
    void urlEncodedDataIsAlwaysUtf8WhateverTheCharsetAndInvalidBytesBecomeReplacementCharacters() throws Exception {
        HttpResponse<String> r = post("/signup", Forms.MIME_TYPE_URLENCODED + "; charset=ISO-8859-1", "email=caf%E9".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.body()).isEqualTo("caf\ufffd subscribed to []\n");
    }

    @Test
    void aMissingFieldIsTheHandlersOwn422() throws Exception {
        HttpResponse<String> r = postForm("topic=news");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).isEqualTo("an email address is required\n");
    }

    @Test
    void aBadPercentEscapeIs400SayingWhere() throws Exception {
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 10\r\n\r\nemail=%zz&").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.text()).isEqualTo("malformed form data: bad percent-escape \"%zz\" at index 6 of form data\n");
        }
    }

    @Test
    void aBodyWithoutAContentTypeIs415() throws Exception {
        assertAnswer(null, "email=x", 415, "the request body needs a Content-Type\n");
    }

    @Test
    void aBodyOfAnotherTypeIs415NamingIt() throws Exception {
        assertAnswer("application/json", "{\"email\":\"x\"}", 415, "a request body of type application/json is not accepted here\n");
    }

    @Test
    void multipartWithoutABoundaryIs400() throws Exception {
        assertAnswer("multipart/form-data", "email=x", 400,
                "malformed form data: Content-Type multipart/form-data has no boundary parameter\n");
    }

    @Test
    void aMultipartFileReadAsAFormIsATextField() throws Exception {
        Multipart body = new Multipart(Forms.MIME_TYPE_MULTIPART);
        body.appendFormString("email", "ada@example.com");
        body.appendFormFile("topic", "topics.txt", "text/plain", "from a file".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("/signup", body.getContentType(), body.toByteArray());
        assertThat(r.body()).isEqualTo("ada@example.com subscribed to [from a file]\n");
    }

    @Test
    void aSmallMultipartUploadCanBeReadWholeAsAMultipart() throws Exception {
        server.addHandler("/parts", (srv, msg, path, query) -> {
            List<String> seen = new ArrayList<>();
            for (Multipart.Part part : msg.getRequestBodyAs(Multipart.class).getParts()) {
                seen.add(part.name() + "/" + part.filename() + "/" + part.headers().getContentType() + "/" + part.body().length);
            }
            msg.setResponseValue(String.join(" ", seen));
        });
        Multipart body = new Multipart(Forms.MIME_TYPE_MULTIPART);
        body.appendFormString("title", "hi");
        body.appendFormFile("file", "a.bin", "application/octet-stream", new byte[300]);
        assertThat(post("/parts", body.getContentType(), body.toByteArray()).body())
                .isEqualTo("title/null/null/2 file/a.bin/application/octet-stream/300");
    }

    @Test
    void aGetFormArrivesInTheDecodedQueryLastValueWinningAndDecodeMultiKeepsEveryValue() throws Exception {
        server.addHandler("/search", (srv, msg, path, query) -> msg.setResponseValue(query + " " + msg.getQueryParameters()
                + " " + Forms.decodeMulti(msg.getUri().getRawQuery()).get("tag")));
        assertThat(http.get("/search?q=caf%C3%A9+au+lait&tag=a&tag=b").body()).isEqualTo("{q=caf\u00e9 au lait, tag=b} {q=caf\u00e9 au lait, tag=b} [a, b]");
        server.addHandler("/bare", (srv, msg, path, query) -> msg.setResponseValue(query + " " + msg.getQueryParameters()));
        assertThat(http.get("/bare").body())
                .as("no ? at all").isEqualTo("null {}");
    }

    @Test
    void aBadEscapeInTheQueryIsRefused400WithTheRequestLineBeforeAnyHandler() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.addHandler("/search", (srv, msg, path, query) -> {
            calls.incrementAndGet();
            msg.setStatus(200);
        });
        try (RawHttp raw = new RawHttp(base)) {
            RawHttp.Response r = raw.send("GET /search?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).isEqualTo("Bad Request: malformed percent-escape in request target\n");
        }
        assertThat(calls).hasValue(0);
    }
}
