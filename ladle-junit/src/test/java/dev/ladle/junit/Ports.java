package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;

/** Checks on ports for tests that a server stopped listening. */
final class Ports {
    private Ports() {
    }

    /**
     * Asserts that nothing listens at {@code uri}'s port. A connection the kernel made to itself (its
     * ephemeral local port happened to be that very port, free again) proves nothing: try again.
     */
    static void assertNothingListens(URI uri) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                assertThat(socket.getLocalPort()).as("a server still accepts at %s", uri).isEqualTo(uri.getPort());
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("could not check " + uri + ": every attempt connected to itself");
    }
}
