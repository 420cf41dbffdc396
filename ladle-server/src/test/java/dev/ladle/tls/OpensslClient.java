package dev.ladle.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code openssl s_client} against 127.0.0.1, verifying the server against the test CA: one-shot runs,
 * and interactive sessions for its one-letter commands ({@code R} renegotiates, {@code K} and {@code k}
 * send a TLS 1.3 KeyUpdate asking or not asking for one back).
 */
final class OpensslClient {
    /** How long a test waits for the client to print something or to exit. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private OpensslClient() {
    }

    private static List<String> command(int port, Path caCert, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", caCert.toString(), "-verify_return_error"));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs s_client to its end with {@code stdin} as input; returns its exit code and merged output. */
    static TestPki.ProcessResult run(int port, Path caCert, String stdin, String... args) {
        return TestPki.exec(command(port, caCert, args), stdin, Duration.ofSeconds(30));
    }

    /** Starts s_client; its standard input stays open for commands until {@link Session#close()}. */
    static Session start(int port, Path caCert, String... args) throws IOException {
        return new Session(new ProcessBuilder(command(port, caCert, args)).redirectErrorStream(true).start());
    }

    /** A running s_client: what it printed so far, and its standard input. */
    static final class Session implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        private final StringBuilder output = new StringBuilder();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition printed = lock.newCondition();

        private Session(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread.ofVirtual().start(this::pump);
        }

        private void pump() {
            byte[] buffer = new byte[8192];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                append("[output read failed: " + e + "]");
            } finally {
                append("");
            }
        }

        private void append(String text) {
            lock.lock();
            try {
                output.append(text);
                printed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until the output contains {@code text}; fails the test after {@link #WAIT}. */
        void awaitOutput(String text) throws InterruptedException {
            awaitOutput(text, 0);
        }

        /** Waits until the output from index {@code from} on contains {@code text}; fails the test after {@link #WAIT}. */
        void awaitOutput(String text, int from) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            lock.lock();
            try {
                while (output.indexOf(text, from) < 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("s_client did not print '" + text + "' within " + WAIT + ":\n" + output);
                    }
                    printed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Types {@code text}; returns false when s_client is gone (its input is closed). */
        boolean send(String text) {
            try {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Waits for s_client to exit and returns its exit code; fails the test after {@link #WAIT}. */
        int awaitExit() throws InterruptedException {
            if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("s_client did not exit within " + WAIT + ":\n" + output());
            }
            return process.exitValue();
        }

        /** Returns everything printed so far. */
        String output() {
            lock.lock();
            try {
                return output.toString();
            } finally {
                lock.unlock();
            }
        }

        /** Closes its input (s_client then ends) and kills it if it lingers. */
        @Override
        public void close() throws InterruptedException {
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
