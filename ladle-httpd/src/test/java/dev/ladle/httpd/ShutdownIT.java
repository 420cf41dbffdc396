package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM and SIGINT stop ladle-httpd gracefully: no new connections, requests in flight finish, exit 0. */
class ShutdownIT {
    @TempDir
    Path dir;

    @Test
    void sigtermLetsASlowUploadInFlightFinishThenExits0() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--allow-put");
             Socket upload = Clients.connect(httpd.uri())) {
            OutputStream out = upload.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(upload.getInputStream(), StandardCharsets.ISO_8859_1));
            Clients.writeNow(out, "PUT /slow.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
            // 100 Continue comes when the upload handler starts reading: the request is now in flight
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            Clients.writeNow(out, "first");

            httpd.signal("TERM");
            httpd.awaitStderrLine(line -> line.contains("stopping"));
            assertThatThrownBy(() -> Clients.connect(httpd.uri()).close()).isInstanceOf(IOException.class);
            assertThat(httpd.isAlive()).isTrue();

            Clients.writeNow(out, "-last");
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 201 Created");
            assertThat(httpd.awaitExit()).isZero();
            assertThat(dir.resolve("slow.txt")).hasContent("first-last");
        }
    }

    @Test
    void anUploadStillInFlightAfterTenSecondsIsCutAndLeavesNoFile() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir, "--allow-put");
             Socket upload = Clients.connect(httpd.uri())) {
            OutputStream out = upload.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(upload.getInputStream(), StandardCharsets.ISO_8859_1));
            Clients.writeNow(out, "PUT /never.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            long start = System.nanoTime();
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("milliseconds to stop").isBetween(9_000L, 15_000L);
            assertThat(dir.resolve("never.txt")).doesNotExist();
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void aFlightRecordingStartedOnTheCommandLineIsWrittenOnSigterm() throws Exception {
        Path recording = dir.resolve("httpd.jfr");
        Files.writeString(dir.resolve("hello.txt"), "hello");
        try (HttpdProcess httpd = HttpdProcess.start(dir,
                // the recording's startup message would go to standard output, where the test reads the URI
                java.util.List.of("-XX:StartFlightRecording:filename=" + recording, "-Xlog:jfr+startup=off"),
                "--bind", "127.0.0.1", "--port", "0")) {
            httpd.awaitUris(1);
            try (Socket client = Clients.connect(httpd.uri())) {
                Clients.writeNow(client.getOutputStream(), "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            }
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
        }
        assertThat(recording).isRegularFile();
        assertThat(jdk.jfr.consumer.RecordingFile.readAllEvents(recording)).as("events of the recording").isNotEmpty();
    }

    @Test
    void sigintStopsTheServerWithExitCode0() throws Exception {
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir)) {
            httpd.signal("INT");
            assertThat(httpd.awaitExit()).isZero();
            assertThat(httpd.drainStderr()).contains("stopping").doesNotContain("Exception");
        }
    }

    @Test
    void anIdleKeepAliveConnectionDoesNotDelayTheStop() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        try (HttpdProcess httpd = HttpdProcess.serveLocal(dir);
             Socket idle = Clients.connect(httpd.uri())) {
            Clients.writeNow(idle.getOutputStream(), "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            BufferedReader in = new BufferedReader(new InputStreamReader(idle.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            long start = System.nanoTime();
            httpd.signal("TERM");
            assertThat(httpd.awaitExit()).isZero();
            assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds to stop").isLessThan(5000);
            // the server closed the idle connection: the rest of the response, then the end of the stream
            StringBuilder rest = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                rest.append((char) c);
            }
            assertThat(rest.toString()).endsWith("\r\n\r\nhello");
        }
    }
}
