package dev.ladle.httpd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built {@code ladle-httpd.jar} running as a separate process, as a user runs it. Its stdout and
 * stderr are read line by line on background threads, so a test can wait for the URIs or a log line
 * without sleeping.
 */
final class HttpdProcess implements AutoCloseable {
    /** How long a test waits for the process to print something or to exit. */
    static final Duration WAIT = Duration.ofSeconds(60); // a JVM start on a loaded 2-core CI machine took over 30 s

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private final StringBuffer stdoutText = new StringBuffer();
    private final StringBuffer stderrText = new StringBuffer();
    private final CountDownLatch stdoutDone = new CountDownLatch(1);
    private final CountDownLatch stderrDone = new CountDownLatch(1);
    private final List<URI> uris = new ArrayList<>();

    private HttpdProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), stdout, stdoutText, stdoutDone, "stdout");
        pump(process.getErrorStream(), stderr, stderrText, stderrDone, "stderr");
    }

    /** Returns the path of the shaded jar under test (set by the failsafe configuration). */
    static Path jar() {
        String jar = System.getProperty("ladle.httpd.jar");
        if (jar == null) {
            throw new IllegalStateException("system property ladle.httpd.jar is not set: run the *IT tests through mvn verify");
        }
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the jar under test does not exist: " + path);
        }
        return path;
    }

    /** Starts {@code java -jar ladle-httpd.jar args...} in {@code workDir}. */
    static HttpdProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    /** Starts {@code java jvmOptions... -jar ladle-httpd.jar args...} in {@code workDir}. */
    static HttpdProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small heap: also proves that files are streamed, not loaded
        command.add("-Xmx48m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        return new HttpdProcess(builder.start());
    }

    /** Starts the server and waits until it printed {@code count} URIs. */
    static HttpdProcess serve(Path workDir, int count, String... args) throws IOException, InterruptedException {
        HttpdProcess httpd = start(workDir, args);
        httpd.awaitUris(count);
        return httpd;
    }

    /** Runs the jar to completion (for flags that exit at once) and returns what it did. */
    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        try (HttpdProcess httpd = start(workDir, args)) {
            int code = httpd.awaitExit();
            return new Result(code, httpd.drainStdout(), httpd.drainStderr());
        }
    }

    /** What a finished process printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Waits for the first {@code count} stdout lines and parses them as URIs. */
    List<URI> awaitUris(int count) throws InterruptedException {
        while (uris.size() < count) {
            uris.add(URI.create(awaitStdoutLine()));
        }
        return List.copyOf(uris);
    }

    /** Returns the first URI printed. */
    URI uri() {
        return uris.get(0);
    }

    /** Waits for the next stdout line. */
    String awaitStdoutLine() throws InterruptedException {
        return poll(stdout, "stdout");
    }

    /** Waits for a stdout line matching {@code condition} (an access log line), skipping others. */
    String awaitStdoutLine(Predicate<String> condition) throws InterruptedException {
        while (true) {
            String line = poll(stdout, "stdout");
            if (condition.test(line)) {
                return line;
            }
        }
    }

    /** Waits for a stderr line matching {@code condition}, skipping others. */
    String awaitStderrLine(Predicate<String> condition) throws InterruptedException {
        while (true) {
            String line = poll(stderr, "stderr");
            if (condition.test(line)) {
                return line;
            }
        }
    }

    private String poll(BlockingQueue<String> queue, String name) throws InterruptedException {
        String line = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line on " + name + " within " + WAIT + "; stdout so far:\n" + stdoutText
                    + "\nstderr so far:\n" + stderrText);
        }
        return line;
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("ladle-httpd did not exit within " + WAIT + "; stderr:\n" + stderrText);
        }
        return process.exitValue();
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}) with {@code kill}. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Returns true while the process runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Returns everything printed on stdout so far; all of it once the process exited. */
    String drainStdout() throws InterruptedException {
        return drained(stdoutText, stdoutDone);
    }

    /** Returns everything printed on stderr so far; all of it once the process exited. */
    String drainStderr() throws InterruptedException {
        return drained(stderrText, stderrDone);
    }

    private String drained(StringBuffer text, CountDownLatch done) throws InterruptedException {
        if (!process.isAlive()) {
            // the pump thread may still be reading the last bytes of a process that exited
            done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return text.toString();
    }

    private static void pump(InputStream in, BlockingQueue<String> lines, StringBuffer text, CountDownLatch done,
                             String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    text.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException e) {
                text.append("[").append(name).append(" read failed: ").append(e).append("]\n");
            } finally {
                done.countDown();
            }
        }, "httpd-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the process (SIGTERM, then SIGKILL if it lingers). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
