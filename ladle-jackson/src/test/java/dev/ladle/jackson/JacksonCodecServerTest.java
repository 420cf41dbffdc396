package dev.ladle.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import dev.ladle.testing.Client;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18 item 2: JSON bodies through {@link JacksonCodec} on a real server, with the JDK's HttpClient
 * (HTTP/1.1) and OkHttp (h2c): records and lists both ways, {@code +json} types, and a client's bad JSON
 * answered 400 with what is wrong and where, never a stack trace.
 */
class JacksonCodecServerTest {
    /** A line of an order. */
    record Item(String sku, int qty) {
    }

    /** An order as clients send it; {@code due} checks that java.time is bound when jsr310 is present. */
    record Order(String customer, List<Item> items, LocalDate due) {
    }

    /** A type Jackson cannot bind: no creator it can use. */
    static final class Unbindable {
        Unbindable(int a, int b) {
        }
    }

    private static final String ORDER = "{\"customer\":\"Ada\",\"items\":[{\"sku\":\"tea\",\"qty\":2}],\"due\":\"2026-03-01\"}";

    private Server server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        start(new JacksonCodec());
    }

    private void start(JacksonCodec codec) throws IOException {
        if (server != null) {
            server.close();
        }
        server = new Server();
        server.addBodyCodec(codec);
        server.addHandler("/orders", (s, msg, path, query) -> {
            Order order = msg.getRequestBodyAs(Order.class);
            msg.setResponseValue(201, new Order(order.customer().toUpperCase(java.util.Locale.ROOT), order.items(), order.due()));
        });
        server.addHandler("/items", (s, msg, path, query) -> msg.setResponseValue(List.of(new Item("tea", 2), new Item("jam", 1))));
        server.addHandler("/hello", (s, msg, path, query) -> msg.setResponseValue("hello"));
        server.addHandler("/raw", (s, msg, path, query) -> msg.setResponseValue(msg.getRequestBodyAs(String.class)));
        server.addHandler("/unbindable", (s, msg, path, query) -> msg.getRequestBodyAs(Unbindable.class));
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
    void recordRoundTripsAsJson(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/json", ORDER);
        assertThat(r.protocol()).isEqualTo(client == Client.JDK_HTTP_1_1 ? "HTTP/1.1" : "h2");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo(ORDER.replace("Ada", "ADA"));
        assertThat(JacksonCodec.defaultMapper().readValue(r.body(), Order.class))
                .isEqualTo(new Order("ADA", List.of(new Item("tea", 2)), LocalDate.of(2026, 3, 1)));
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void listIsWrittenAsAJsonArray(Client client) throws Exception {
        Client.Reply r = client.get(at("/items"), "application/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo("[{\"sku\":\"tea\",\"qty\":2},{\"sku\":\"jam\",\"qty\":1}]");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void malformedJsonIs400NamingTheProblemWithoutAStackTrace(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/json", "{\"customer\": \"Ada\",\n \"items\": [}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.text()).startsWith("malformed JSON: Unexpected close marker '}'").contains("(line 2, column");
        assertNoInternals(r.text());
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void wrongFieldTypeIs400WithThePathToIt(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/json", ORDER.replace("2", "\"many\""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).startsWith("malformed JSON: Cannot deserialize value of type `int` from String \"many\"")
                .contains(" at $.items[0].qty (line 1, column ");
        assertNoInternals(r.text());
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void wrongShapeIs400NamingTheClassWithoutItsPackage(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/json", "[1]");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("`JacksonCodecServerTest$Order` from Array value");
        assertNoInternals(r.text());
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void unknownPropertyIs400NamingIt(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/json", "{\"customer\":\"Ada\",\"coupon\":\"FREE\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).startsWith("malformed JSON: unknown property \"coupon\" at $.coupon (line 1, column ");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void jsonNullBodyIs400(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/json", "null");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("the request body is JSON null; a value is needed\n");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void structuredJsonTypesSuchAsProblemJsonAreRead(Client client) throws Exception {
        Client.Reply r = client.post(at("/orders"), "application/problem+json", ORDER);
        assertThat(r.status()).isEqualTo(201);
        assertThat(client.post(at("/orders"), "application/jsonl", ORDER).status())
                .as("a type that only starts with json is not JSON").isEqualTo(415);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void stringsStayTextBothWays(Client client) throws Exception {
        Client.Reply hello = client.get(at("/hello"), null);
        assertThat(hello.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(hello.text()).isEqualTo("hello");
        assertThat(client.post(at("/raw"), "application/json", "{\"raw\": true}").text()).isEqualTo("{\"raw\": true}");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void acceptWithoutJsonIs406ForAValueOnlyJsonWrites(Client client) throws Exception {
        Client.Reply r = client.get(at("/items"), "text/html, text/plain");
        assertThat(r.status()).isEqualTo(406);
        assertThat(r.text()).endsWith("it can be sent as application/json\n");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void typeJacksonCannotBindIsTheServersFaultA500(Client client) throws Exception {
        Client.Reply r = client.post(at("/unbindable"), "application/json", "{}");
        assertThat(r.status()).isEqualTo(500);
        assertNoInternals(r.text());
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void applicationMapperIsUsedAsConfigured(Client client) throws Exception {
        start(new JacksonCodec(JsonMapper.builder().findAndAddModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()));
        Client.Reply r = client.post(at("/orders"), "application/json", "{\"customer\":\"Ada\",\"coupon\":\"FREE\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text()).isEqualTo("{\"customer\":\"ADA\",\"items\":null,\"due\":null}");
    }

    private static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception").doesNotContain("at com.").doesNotContain("dev.ladle")
                .doesNotContain("fasterxml").doesNotContain("Source:");
    }
}
