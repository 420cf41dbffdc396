package dev.ladle.examples.guide.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics chapter's recipe for recording Ladle's Flight Recorder events from the command line, run
 * for real: {@code jfr configure} makes settings that enable them, and {@link RecordedServer} in a child
 * JVM is recorded with them, from its start ({@code -XX:StartFlightRecording}) or later ({@code jcmd}).
 * Naming the events in {@code -XX:StartFlightRecording} itself records none of them.
 */
class RecordedServerTest {
    @TempDir
    Path dir;

    private Process server;
    /** What the server printed before it listened (Flight Recorder's own messages among it). */
    private String serverSaid;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** Runs {@code command} in the test's directory to its end; returns what it printed, failing unless it succeeded. */
    private String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s said:\n%s", List.of(command), out).isZero();
        return out;
    }

    /** The recipe's first step: Flight Recorder's default settings plus Ladle's three events, in ladle.jfc. */
    private Path ladleSettings() throws IOException, InterruptedException {
        run(jdkTool("jfr"), "configure", "--input", "default", "+dev.ladle.Request#enabled=true",
                "+dev.ladle.Connection#enabled=true", "+dev.ladle.WebSocketMessage#enabled=true", "--output", "ladle.jfc");
        return dir.resolve("ladle.jfc");
    }

    /** Starts {@link RecordedServer} in a child JVM with {@code jvmOptions}; returns where it listens. */
    private URI startServer(String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(jdkTool("java"), "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(RecordedServer.class.getName(), "0"));
        server = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            said.append(line).append('\n');
            if (line.startsWith("listening on ")) {
                serverSaid = said.toString();
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep its pipe from filling
                return URI.create(line.substring("listening on ".length()));
            }
        }
        throw new AssertionError("the server ended without listening:\n" + said);
    }

    /** GETs /hello on a connection that then closes, so that its connection event is committed too. */
    private static void hello(URI base) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 ");
        }
    }

    /** Stops the server with SIGTERM, as an operator would, and waits for it to end. */
    private void stop() throws InterruptedException {
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server stopped").isTrue();
    }

    /** How many events of each of Ladle's types the recording holds. */
    private static Map<String, Integer> ladleEvents(Path recording) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (type.startsWith("dev.ladle.")) {
                counts.merge(type, 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void aRecordingStartedWithTheLadleSettingsHoldsItsRequestAndConnectionEvents() throws Exception {
        Path settings = ladleSettings();
        assertThat(Files.readString(settings)).contains("dev.ladle.Request", "dev.ladle.WebSocketMessage");
        URI base = startServer("-XX:StartFlightRecording:settings=ladle.jfc,filename=rec.jfr");
        hello(base);
        stop();

        Path recording = dir.resolve("rec.jfr");
        assertThat(ladleEvents(recording)).containsEntry("dev.ladle.Request", 1).containsEntry("dev.ladle.Connection", 1);
        RecordedEvent request = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("dev.ladle.Request")).findFirst().orElseThrow();
        assertThat(request.getString("path")).isEqualTo("/hello");
        assertThat(request.getInt("status")).isEqualTo(200);
        assertThat(run(jdkTool("jfr"), "summary", "rec.jfr")).contains("dev.ladle.Request", "dev.ladle.Connection");
        assertThat(run(jdkTool("jfr"), "print", "--events", "dev.ladle.Request", "rec.jfr")).contains("path = \"/hello\"");
    }

    @Test
    void jcmdRecordsTheLadleEventsOfARunningServer() throws Exception {
        Path settings = ladleSettings();
        URI base = startServer();
        String pid = Long.toString(server.pid());
        run(jdkTool("jcmd"), pid, "JFR.start", "name=ladle", "settings=" + settings);
        hello(base);
        Path recording = dir.resolve("later.jfr");
        run(jdkTool("jcmd"), pid, "JFR.dump", "name=ladle", "filename=" + recording);
        assertThat(ladleEvents(recording)).containsEntry("dev.ladle.Request", 1).containsEntry("dev.ladle.Connection", 1);
        stop();
    }

    @Test
    void namingAnEventInStartFlightRecordingDoesNotEnableIt() throws Exception {
        URI base = startServer("-XX:StartFlightRecording:dev.ladle.Request#enabled=true,filename=rec.jfr");
        assertThat(serverSaid).contains("'dev.ladle.Request#enabled' doesn't exist");
        hello(base);
        stop();
        assertThat(dir.resolve("rec.jfr")).exists();
        assertThat(ladleEvents(dir.resolve("rec.jfr"))).isEmpty();
    }
}
