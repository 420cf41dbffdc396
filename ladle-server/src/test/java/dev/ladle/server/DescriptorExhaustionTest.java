package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 2: a server out of file descriptors ({@code EMFILE}) must not spin its accept loop. A
 * child JVM started through {@code prlimit} with a low descriptor limit ({@link EmfileServerMain}) runs
 * the server, uses up its remaining descriptors, and reports its failed accepts and its CPU time while
 * a client waits in the backlog; closing one of the served connections must let that client in.
 */
class DescriptorExhaustionTest {
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    /** The child's descriptor limit: room for the JVM, the server and a few connections, quickly filled. */
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final long MEASURE_MILLIS = 2000;

    @TempDir
    Path dir;

    @Test
    void outOfDescriptorsTheListenerBacksOffQuietlyAndRecoversWhenAConnectionCloses() throws Exception {
        assumeTrue(Files.isExecutable(PRLIMIT), "needs prlimit (util-linux)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // one jar: loading a class from it needs no new descriptor, loading it from a directory would
        Process child = new ProcessBuilder(PRLIMIT.toString(), "--nofile=" + DESCRIPTOR_LIMIT + ":" + DESCRIPTOR_LIMIT,
                java, "-XX:-UsePerfData", "-Xmx64m", "-cp", childJar().toString(), EmfileServerMain.class.getName())
                .start();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> collect(child, log));
        BufferedReader answers = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        PrintStream commands = new PrintStream(child.getOutputStream(), true, StandardCharsets.US_ASCII);
        List<WireClient> served = new ArrayList<>();
        try {
            URI uri = URI.create(answers.readLine().trim());
            for (int i = 0; i < 3; i++) {
                WireClient c = new WireClient(uri);
                served.add(c);
                assertThat(c.get("/").read().status()).isEqualTo(200);
            }
            commands.println("fill");
            assertThat(answers.readLine()).startsWith("filled ");

            try (WireClient waiting = new WireClient(uri)) {
                // the kernel completes the connection; the server cannot accept it
                waiting.get("/");
                commands.println("measure " + MEASURE_MILLIS);
                String[] measured = answers.readLine().split(" ");
                long failures = Long.parseLong(measured[1]);
                long cpuMillis = Long.parseLong(measured[2]);
                System.out.println("out of descriptors for " + MEASURE_MILLIS + " ms: " + failures
                        + " failed accepts, " + cpuMillis + " ms of process CPU");
                // back-off doubling from 10 ms to 1 s: about 8 attempts in 2 s, where a retry every 50 ms made 40
                assertThat(failures).isBetween(1L, 15L);
                assertThat(cpuMillis).isLessThan(MEASURE_MILLIS / 4);
                assertThat(awaitLinesWith(log, "cannot accept connections")).isEqualTo(1);

                long closed = System.nanoTime();
                served.remove(0).close();
                assertThat(waiting.read().status()).as("served once a descriptor is free").isEqualTo(200);
                System.out.println("the waiting client was served "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed) + " ms after a connection closed");
            }
            // the child logs after the accept, and its standard error reaches us on another thread: wait for it
            assertThat(awaitLinesWith(log, "accepts connections again")).isEqualTo(1);
            assertThat(linesWith(log, "cannot accept connections")).isEqualTo(1);
            commands.println("exit");
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            for (WireClient c : served) {
                c.close();
            }
            child.destroyForcibly();
        }
    }

    /** The child's standard error, line by line (its log), echoed to ours. */
    private static void collect(Process child, List<String> log) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                System.err.println("child: " + line);
                log.add(line);
            }
        } catch (IOException e) {
            // the child ended
        }
    }

    /** The number of lines with {@code text} once there is one, or 0 after five seconds without. */
    private static long awaitLinesWith(List<String> log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (linesWith(log, text) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return linesWith(log, text);
    }

    private static long linesWith(List<String> log, String text) {
        return log.stream().filter(line -> line.contains(text)).count();
    }

    /** Packs the main classes and this test's child into one jar. */
    private Path childJar() throws IOException {
        Path jar = dir.resolve("child.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path root = Path.of(entry);
                if (Files.isDirectory(root)) {
                    add(out, root);
                }
            }
        }
        return jar;
    }

    private static void add(JarOutputStream out, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                boolean testClass = root.endsWith("test-classes");
                if (name.equals("module-info.class") || testClass && !name.startsWith("dev/ladle/server/EmfileServerMain")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
