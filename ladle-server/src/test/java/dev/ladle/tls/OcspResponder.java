package dev.ladle.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OCSP responder: {@code openssl ocsp} answering from a CA's {@code index.txt}, signing with the
 * CA's key, on a port of its choosing. It reads the index once, at start: {@link #restart()} starts a
 * new one on the same port after the index changed.
 */
final class OcspResponder implements AutoCloseable {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+) PID=\\d+");

    private final List<String> command;
    private Process process;
    private int port;

    private OcspResponder(Path index, Path caCert, Path caKey) {
        this.command = List.of("openssl", "ocsp", "-index", index.toString(), "-CA", caCert.toString(),
                "-rsigner", caCert.toString(), "-rkey", caKey.toString(), "-ignore_err", "-port");
    }

    /** Starts a responder for the CA whose index, certificate and key are given, on a free port. */
    static OcspResponder start(Path index, Path caCert, Path caKey) throws IOException {
        OcspResponder responder = new OcspResponder(index, caCert, caKey);
        responder.startOn(0);
        return responder;
    }

    int port() {
        return port;
    }

    /** Returns the responder's URI. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Stops this responder and starts a new one on the same port, which reads the index again. */
    void restart() throws IOException {
        stop();
        startOn(port);
    }

    private void startOn(int wanted) throws IOException {
        List<String> args = new java.util.ArrayList<>(command);
        args.add(Integer.toString(wanted));
        process = new ProcessBuilder(args).redirectErrorStream(true).start();
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        Process started = process;
        Thread.ofVirtual().start(() -> {
            // reads the announcement, then drains the output so that the responder never blocks on it
            try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher accept = ACCEPT.matcher(line);
                    if (accept.find()) {
                        bound.complete(Integer.parseInt(accept.group(1)));
                    }
                }
            } catch (IOException e) {
                // the responder was stopped
            }
            bound.completeExceptionally(new IOException("openssl ocsp ended without listening"));
        });
        try {
            port = bound.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            stop();
            throw new IOException("openssl ocsp did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted stopping openssl ocsp", e));
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
