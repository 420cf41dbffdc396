package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Server;
import dev.ladle.server.TlsAuthMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-initiated renegotiation is refused (the connection is closed) while TLS 1.2 resumption and
 * TLS 1.3 key updates keep working: with {@code openssl s_client} and the JDK's own TLS client.
 */
class RenegotiationTest {
    private static final String REQUEST = "GET / HTTP/1.1\nHost: localhost\n\n";
    private static final String LAST_REQUEST = "GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n";

    @TempDir
    static Path dir;
    static TestPki pki;

    Server server;
    int port;

    @BeforeAll
    static void createPki() throws IOException {
        pki = TestPki.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsDatabase(TlsDatabase.fromPemFile(pki.caCert));
        server.addHandler("/", (s, msg, path, query) -> {
            msg.setStatus(200);
            msg.setResponse("text/plain", "hello\n".getBytes(StandardCharsets.UTF_8));
        });
        port = pki.listenHttpsOnLoopback(server).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertAFreshConnectionIsServed() {
        TestPki.ProcessResult fresh = OpensslClient.run(port, pki.caCert, LAST_REQUEST, "-tls1_2", "-crlf", "-ign_eof");
        assertThat(fresh.output()).contains("HTTP/1.1 200 OK").contains("hello");
    }

    @Test
    void sClientAskingToRenegotiateTls12GetsTheConnectionClosed() throws Exception {
        try (OpensslClient.Session client = OpensslClient.start(port, pki.caCert, "-tls1_2", "-crlf")) {
            client.send(REQUEST);
            client.awaitOutput("hello");

            client.send("R\n");
            client.awaitOutput("RENEGOTIATING");
            // s_client sends the ClientHello with its next write; without the check this request is answered
            client.send(LAST_REQUEST);

            client.awaitExit();
            // the server never sent its certificate again, nor answered the request
            String afterRenegotiation = client.output().substring(client.output().indexOf("RENEGOTIATING"));
            assertThat(afterRenegotiation).doesNotContain("verify return").doesNotContain("HTTP/1.1");
        }
        assertAFreshConnectionIsServed();
    }

    @Test
    void sClientAskingToRenegotiateWithAClientCertificateGetsTheConnectionClosed() throws Exception {
        server.setTlsAuthMode(TlsAuthMode.REQUIRED);
        try (OpensslClient.Session client = OpensslClient.start(port, pki.caCert, "-tls1_2", "-crlf",
                "-cert", pki.clientCert.toString(), "-key", pki.clientKey.toString())) {
            client.send(REQUEST);
            client.awaitOutput("hello");

            client.send("R\n");
            client.awaitOutput("RENEGOTIATING");
            client.send(LAST_REQUEST);

            client.awaitExit();
            // without the check the server redoes its half and sends its certificate again (and then
            // refuses the client certificate, whose check belongs to the first handshake only)
            assertThat(client.output().substring(client.output().indexOf("RENEGOTIATING")))
                    .doesNotContain("verify return").doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void theJdkClientRenegotiatingTls12GetsTheConnectionClosed() throws Exception {
        SSLContext context = TlsClients.context(pki.caCert, null);
        try (SSLSocket socket = TlsClients.connect(context, port, "TLSv1.2")) {
            assertThat(exchange(socket)).startsWith("HTTP/1.1 200 OK").endsWith("hello\n");

            // on an established TLS 1.2 connection this sends a new ClientHello and returns
            socket.startHandshake();

            assertThat(exchange(socket)).isEmpty();
        }
        assertAFreshConnectionIsServed();
    }

    @Test
    void http2OverTls12IsCoveredByTheSameCheck() throws Exception {
        SSLContext context = TlsClients.context(pki.caCert, null);
        try (SSLSocket socket = TlsClients.connectOffering(context, port, new String[] {"h2"}, "TLSv1.2")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(frame(4, 0, new byte[0]));
            out.flush();
            assertThat(nextFrame(socket.getInputStream()) & 0xFF).as("the server's SETTINGS").isEqualTo(4);

            socket.startHandshake();
            try {
                out.write(frame(6, 0, new byte[8]));
                out.flush();
            } catch (java.net.SocketException cut) {
                return; // the server cut the connection at the renegotiation already: refused
            }

            assertThat(pingAnswered(socket.getInputStream())).isFalse();
        }
    }

    @Test
    void aResumedTls12SessionIsServed() {
        Path session = dir.resolve("ticket.pem");
        TestPki.ProcessResult first = OpensslClient.run(port, pki.caCert, LAST_REQUEST, "-tls1_2", "-crlf", "-ign_eof",
                "-sess_out", session.toString());
        TestPki.ProcessResult resumed = OpensslClient.run(port, pki.caCert, LAST_REQUEST, "-tls1_2", "-crlf", "-ign_eof",
                "-sess_in", session.toString());

        assertThat(first.output()).contains("New, TLSv1.2").contains("hello");
        assertThat(resumed.output()).contains("Reused, TLSv1.2").contains("HTTP/1.1 200 OK").contains("hello");
    }

    @Test
    void aTls12SessionResumedByIdIsServed() {
        Path session = dir.resolve("id.pem");
        OpensslClient.run(port, pki.caCert, LAST_REQUEST, "-tls1_2", "-crlf", "-ign_eof", "-no_ticket",
                "-sess_out", session.toString());
        TestPki.ProcessResult resumed = OpensslClient.run(port, pki.caCert, LAST_REQUEST, "-tls1_2", "-crlf", "-ign_eof",
                "-no_ticket", "-sess_in", session.toString());

        assertThat(resumed.output()).contains("Reused, TLSv1.2").contains("HTTP/1.1 200 OK").contains("hello");
    }

    @Test
    void theJdkClientResumingTls12IsServed() throws Exception {
        SSLContext context = TlsClients.context(pki.caCert, null);
        byte[] firstId;
        try (SSLSocket socket = TlsClients.connect(context, port, "TLSv1.2")) {
            assertThat(exchange(socket)).endsWith("hello\n");
            firstId = socket.getSession().getId();
        }
        try (SSLSocket socket = TlsClients.connect(context, port, "TLSv1.2")) {
            assertThat(exchange(socket)).endsWith("hello\n");
            assertThat(socket.getSession().getId()).as("resumed").isEqualTo(firstId);
        }
    }

    @Test
    void tls13KeyUpdatesLeaveTheConnectionServing() throws Exception {
        try (OpensslClient.Session client = OpensslClient.start(port, pki.caCert, "-tls1_3", "-crlf")) {
            client.send("K\n");
            client.awaitOutput("KEYUPDATE");
            client.send(REQUEST);
            client.awaitOutput("hello");

            int mark = client.output().length();
            client.send("k\n");
            client.awaitOutput("KEYUPDATE", mark);
            client.send(LAST_REQUEST);

            client.awaitExit();
            assertThat(client.output().split("HTTP/1.1 200 OK", -1)).hasSize(3);
            assertThat(client.output()).doesNotContain("errno");
        }
    }

    /** Sends a request on {@code socket} and reads the response; empty when the connection ends instead. */
    private static String exchange(SSLSocket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readResponse(socket.getInputStream());
        } catch (IOException e) {
            return "";
        }
    }

    /** Reads a response with a Content-Length body; empty when the stream ends before its head does. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "";
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ") + "content-length: ".length();
        int length = Integer.parseInt(text.substring(at, text.indexOf('\r', at)));
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static byte[] frame(int type, int flags, byte[] payload) {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >> 16);
        frame[1] = (byte) (payload.length >> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    /** Reads one HTTP/2 frame and returns its type, plus its flags shifted left by 8. */
    private static int nextFrame(InputStream in) throws IOException {
        byte[] header = in.readNBytes(9);
        if (header.length < 9) {
            throw new java.io.EOFException("no frame");
        }
        int length = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | header[2] & 0xFF;
        in.readNBytes(length);
        return header[3] & 0xFF | (header[4] & 0xFF) << 8;
    }

    /** Reads frames until a PING acknowledgement (true) or the end of the connection (false). */
    private static boolean pingAnswered(InputStream in) {
        try {
            while (true) {
                if (nextFrame(in) == (6 | 1 << 8)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }
}
