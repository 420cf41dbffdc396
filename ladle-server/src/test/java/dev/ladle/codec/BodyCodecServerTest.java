package dev.ladle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.Multipart;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.testing.Client;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18 item 2: {@code getRequestBodyAs} and {@code setResponseValue} with the built-in codecs, on a
 * real server, with the JDK's HttpClient (HTTP/1.1) and OkHttp (h2c): text in its charset, bytes, forms
 * (URL-encoded and multipart), and the client's mistakes answered as 400, 415 and 406 with a reason.
 */
class BodyCodecServerTest {
    private Server server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.addHandler("/text", (s, msg, path, query) -> {
            String text = msg.getRequestBodyAs(String.class);
            msg.setResponseValue(text.length() + ":" + text);
        });
        server.addHandler("/bytes", (s, msg, path, query) -> msg.setResponseValue(msg.getRequestBodyAs(byte[].class)));
        server.addHandler("/form", (s, msg, path, query) -> {
            Form form = msg.getRequestBodyAs(Form.class);
            msg.setResponseValue(form.fields().toString());
        });
        server.addHandler("/map", (s, msg, path, query) -> msg.setResponseValue(msg.getRequestBodyAs(Map.class).toString()));
        server.addHandler("/multipart", (s, msg, path, query) -> {
            Multipart multipart = msg.getRequestBodyAs(Multipart.class);
            Multipart.Part file = multipart.getParts().get(1);
            msg.setResponseValue(multipart.getLength() + " parts, " + file.filename() + "="
                    + new String(file.body(), StandardCharsets.UTF_8));
        });
        server.addHandler("/hello", (s, msg, path, query) -> msg.setResponseValue("hello"));
        server.addHandler("/created", (s, msg, path, query) -> {
            msg.setStatus(201);
            msg.setResponseValue("made");
        });
        server.addHandler("/accepted", (s, msg, path, query) -> msg.setResponseValue(202, "queued"));
        server.addHandler("/unwritable", (s, msg, path, query) -> msg.setResponseValue(new Object()));
        server.addEarlyHandler("/early", (s, msg, path, query) -> msg.getRequestBodyAs(String.class));
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        base = server.getUris().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI at(String path) {
        return base.resolve(path);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void textIsDecodedWithTheCharsetOfItsContentType(Client client) throws Exception {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        Client.Reply r = client.post(at("/text"), "text/plain; charset=ISO-8859-1", latin1);
        assertThat(r.protocol()).isEqualTo(client == Client.JDK_HTTP_1_1 ? "HTTP/1.1" : "h2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.text()).isEqualTo("4:café");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void textWithoutACharsetIsReadAsUtf8(Client client) throws Exception {
        assertThat(client.post(at("/text"), "text/plain", "naïve ✓").text()).isEqualTo("7:naïve ✓");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void textThatIsNotValidInItsCharsetIs400NamingWhere(Client client) throws Exception {
        byte[] broken = {'o', 'k', (byte) 0xC3, '('};
        Client.Reply r = client.post(at("/text"), "text/plain; charset=utf-8", broken);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.text()).isEqualTo("the request body is not valid UTF-8 text (at byte 2)\n");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void textInACharsetTheServerDoesNotKnowIs415(Client client) throws Exception {
        Client.Reply r = client.post(at("/text"), "text/plain; charset=x-made-up", "hi");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.text()).contains("x-made-up");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void bytesOfAnyTypeAreReadAndWrittenAsOctetStream(Client client) throws Exception {
        byte[] data = new byte[70_000];
        new Random(18).nextBytes(data);
        Client.Reply r = client.post(at("/bytes"), "image/png", data);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/octet-stream");
        assertThat(r.body()).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void bytesWithoutAContentTypeAreRead(Client client) throws Exception {
        assertThat(client.post(at("/bytes"), null, new byte[] {1, 2, 3}).body()).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void urlEncodedFormIsReadWithEveryValue(Client client) throws Exception {
        Client.Reply r = client.post(at("/form"), "application/x-www-form-urlencoded", "a=1&b=x+y%21&a=2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{a=[1, 2], b=[x y!]}");
        assertThat(client.post(at("/map"), "application/x-www-form-urlencoded", "a=1&b=x+y%21&a=2").text())
                .as("as a map, the last value wins").isEqualTo("{a=2, b=x y!}");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void multipartFormIsReadAsAFormAndAsItsParts(Client client) throws Exception {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("title", "Ünïcode");
        multipart.appendFormFile("upload", "a.txt", "text/plain", "file text".getBytes(StandardCharsets.UTF_8));
        byte[] body = multipart.toByteArray();
        Client.Reply form = client.post(at("/form"), multipart.getContentType(), body);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.text()).isEqualTo("{title=[Ünïcode], upload=[file text]}");
        assertThat(client.post(at("/multipart"), multipart.getContentType(), body).text())
                .isEqualTo("2 parts, a.txt=file text");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void malformedFormIs400WithTheReason(Client client) throws Exception {
        Client.Reply r = client.post(at("/form"), "application/x-www-form-urlencoded", "a=%zz");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).startsWith("malformed form data: bad percent-escape \"%zz\"");
        Client.Reply noBoundary = client.post(at("/form"), "multipart/form-data", "x");
        assertThat(noBoundary.status()).isEqualTo(400);
        assertThat(noBoundary.text()).contains("no boundary");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void bodyWithoutAContentTypeIs415(Client client) throws Exception {
        Client.Reply r = client.post(at("/text"), null, "hi");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.text()).isEqualTo("the request body needs a Content-Type\n");
    }

    @Test
    void bodyWithAMalformedContentTypeIs415SayingSo() throws Exception {
        // the JDK client only: OkHttp refuses to send a Content-Type that is no media type
        Client.Reply r = Client.JDK_HTTP_1_1.post(at("/text"), "text", "hi");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.text()).startsWith("the request's Content-Type is malformed: ");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void bodyOfATypeNoCodecReadsAsTheWantedClassIs415NamingTheType(Client client) throws Exception {
        Client.Reply r = client.post(at("/form"), "text/csv", "a,b");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.text()).isEqualTo("a request body of type text/csv is not accepted here\n");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void acceptThatRefusesEveryTypeTheValueIsWrittenAsIs406ListingThem(Client client) throws Exception {
        Client.Reply r = client.get(at("/hello"), "application/json");
        assertThat(r.status()).isEqualTo(406);
        assertThat(r.text()).isEqualTo(
                "the response cannot be sent as any type the Accept header allows; it can be sent as text/plain\n");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void acceptIsWeighedByItsMostSpecificRange(Client client) throws Exception {
        assertThat(client.get(at("/hello"), "application/json, text/*;q=0.2").text()).isEqualTo("hello");
        assertThat(client.get(at("/hello"), "text/plain;q=0, */*").status())
                .as("text/plain refused outright although */* is welcome").isEqualTo(406);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void responseValueKeepsAStatusSetBeforeAndCanSetOne(Client client) throws Exception {
        Client.Reply created = client.get(at("/created"), null);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text()).isEqualTo("made");
        Client.Reply accepted = client.get(at("/accepted"), null);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.text()).isEqualTo("queued");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void valueNoCodecWritesIsTheServersFaultA500(Client client) throws Exception {
        assertThat(client.get(at("/unwritable"), null).status()).isEqualTo(500);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void earlyHandlerCannotReadTheBodyAsAValue(Client client) throws Exception {
        assertThat(client.post(at("/early"), "text/plain", "too soon").status()).isEqualTo(500);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void addedCodecsComeBeforeTheBuiltInOnesAndTheLatestFirst(Client client) throws Exception {
        server.addBodyCodec(new ShoutingCodec("first"));
        server.addBodyCodec(new ShoutingCodec("second"));
        Client.Reply r = client.post(at("/text"), "text/plain", "quiet");
        assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8; codec=second");
        assertThat(r.text()).isEqualTo("second:5:QUIET");
        assertThat(server.getBodyCodecs()).hasSize(5);
        assertThat(server.getBodyCodecs().get(4)).isInstanceOf(FormCodec.class);
    }

    /** Reads text upper-cased and writes strings marked with its name: which codec ran shows in the reply. */
    private record ShoutingCodec(String name) implements BodyCodec {
        @Override
        public boolean canRead(MediaType mediaType, Class<?> type) {
            return type == String.class && mediaType.is("text/plain");
        }

        @Override
        public <T> T read(Class<T> type, MediaType mediaType, byte[] body) {
            return type.cast(new String(body, StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT));
        }

        @Override
        public List<MediaType> writeTypes(Class<?> type) {
            return type == String.class ? List.of(MediaType.parse("text/plain; charset=utf-8; codec=" + name)) : List.of();
        }

        @Override
        public void write(Object value, MediaType contentType, OutputStream out) throws IOException {
            out.write((name + ":" + value).getBytes(StandardCharsets.UTF_8));
        }
    }
}
