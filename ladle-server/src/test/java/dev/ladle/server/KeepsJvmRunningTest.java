package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code main} that starts a server and returns leaves a program that serves (the server's threads are
 * all virtual, so daemons: something else must keep the JVM running) and that ends by itself once the
 * server stops listening. The child is {@link ListeningMain}.
 */
class KeepsJvmRunningTest {
    @ParameterizedTest
    @ValueSource(strings = {"close", "disconnect"})
    void aServerStartedByAMainThatReturnedServesUntilItStopsListeningThenTheJvmEnds(String stop) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ListeningMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            URI uri = URI.create(out.readLine().trim());
            // main has returned (it printed the URI last); the JVM must still be there and serving
            assertThat(child.waitFor(1, TimeUnit.SECONDS)).as("the JVM ended when main returned").isFalse();
            assertThat(client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body()).isEqualTo("still here\n");

            PrintStream commands = new PrintStream(child.getOutputStream(), true, StandardCharsets.US_ASCII);
            commands.println(stop);
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the JVM ended once the server stopped listening").isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theAnchorIsHeldFromTheFirstListenerUntilCloseAndAgainWhenTheServerListensAgain() throws Exception {
        try (Server server = new Server()) {
            assertThat(server.state().keepsJvmRunning()).as("before listening").isFalse();
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            assertThat(server.state().keepsJvmRunning()).isTrue();
            server.disconnect();
            awaitReleased(server);
            server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
            assertThat(server.state().keepsJvmRunning()).as("listening again").isTrue();
            server.close();
            awaitReleased(server);
        }
    }

    private static void awaitReleased(Server server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.state().keepsJvmRunning() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.state().keepsJvmRunning()).as("released").isFalse();
    }
}
