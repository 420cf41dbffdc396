package dev.ladle.examples.guide.migrating;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ladle.server.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The migration chapter's service on the JDK's HttpServer and on Ladle: the same requests get the same answers. */
class NotesServiceTest {
    /** A started service: where it listens, and how to stop it. */
    private record Running(URI base, AutoCloseable stop) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    private interface Starter {
        Running start() throws Exception;
    }

    static Stream<Arguments> services() {
        Starter jdk = () -> {
            HttpServer server = NotesService.startOnJdk(0);
            return new Running(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), () -> server.stop(0));
        };
        Starter ladle = () -> {
            Server server = NotesService.startOnLadle(0);
            return new Running(URI.create("http://127.0.0.1:" + server.getPort() + "/"), server);
        };
        return Stream.of(Arguments.of("JDK HttpServer", jdk), Arguments.of("Ladle", ladle));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aNoteIsMissingThenWrittenThenReadAndOtherMethodsAreRefused(String name, Starter starter) throws Exception {
        try (Running service = starter.start(); HttpClient client = HttpClient.newHttpClient()) {
            URI note = service.base().resolve("/notes/shopping");
            assertThat(client.send(HttpRequest.newBuilder(note).build(), BodyHandlers.ofString()).statusCode())
                    .as("before it is written").isEqualTo(404);

            HttpResponse<String> put = client.send(HttpRequest.newBuilder(note).PUT(BodyPublishers.ofString("milk, eggs"))
                    .build(), BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(204);
            assertThat(put.body()).isEmpty();

            HttpResponse<String> get = client.send(HttpRequest.newBuilder(note).build(), BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(get.body()).isEqualTo("milk, eggs");

            HttpResponse<String> delete = client.send(HttpRequest.newBuilder(note).DELETE().build(), BodyHandlers.ofString());
            assertThat(delete.statusCode()).isEqualTo(405);
            assertThat(delete.headers().firstValue("Allow")).hasValue("GET, PUT");

            assertThat(client.send(HttpRequest.newBuilder(service.base().resolve("/notes")).build(), BodyHandlers.ofString())
                    .statusCode()).as("/notes itself is not below /notes/").isEqualTo(404);
        }
    }
}
