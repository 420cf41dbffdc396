package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's address through a proxy, without a real one: {@code --proxy-protocol} and
 * {@code --trusted-proxy} (with {@code --trusted-headers} and {@code --hsts}) against raw sockets that
 * play the balancer, the access log telling whom ladle-httpd took for the client (issue 17 item 5). The
 * real balancers are in {@code HaproxyIT}, {@code NginxIT} and {@code NginxForwardingIT}. Each nested
 * class starts one process for its tests, which tell their own requests apart by the query.
 */
class ClientAddressIT {
    /** Documentation addresses (RFC 5737): only ever text in a header here, never connected to. */
    private static final String CLIENT = "203.0.113.7";

    private static String request(String target, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    private static HttpdProcess serve(Path dir, int uris, List<String> flags) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        return HttpdProcess.serve(dir, uris, flags.toArray(String[]::new));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithProxyProtocol {
        private Certificates certificates;
        private HttpdProcess httpd;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            certificates = Certificates.create(Files.createDirectories(dir.resolve("certificates")));
            httpd = serve(dir, 2, List.of("--bind", "127.0.0.1", "--port", "0", "--https-port", "0", "--proxy-protocol",
                    "--access-log", "--tls-cert", certificates.serverCert.toString(),
                    "--tls-key", certificates.serverKey.toString()));
        }

        @AfterAll
        void stop() throws Exception {
            if (httpd != null) {
                httpd.close();
            }
        }

        private String logLine(String target) throws InterruptedException {
            return httpd.awaitStdoutLine(line -> line.contains("\"GET " + target + " "));
        }

        @Test
        void theClientAVersion1HeaderNamesIsTheAccessLogsHost() throws Exception {
            String target = "/hello.txt?test=v1";
            String response = Clients.raw(httpd.uri(), "PROXY TCP4 " + CLIENT + " 127.0.0.1 40000 80\r\n" + request(target));
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("hello");
            assertThat(logLine(target)).startsWith(CLIENT + " - - [");
        }

        @Test
        void theHttpsPortReadsTheHeaderBeforeTheTlsHandshake() throws Exception {
            String target = "/hello.txt?test=tls";
            URI uri = httpd.awaitUris(2).get(1);
            try (Socket tcp = new Socket()) {
                tcp.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                tcp.setSoTimeout((int) HttpdProcess.WAIT.toMillis());
                Clients.writeNow(tcp.getOutputStream(), "PROXY TCP4 " + CLIENT + " 127.0.0.1 40001 443\r\n");
                try (SSLSocket tls = (SSLSocket) certificates.trustingClientContext().getSocketFactory()
                        .createSocket(tcp, uri.getHost(), uri.getPort(), true)) {
                    OutputStream out = tls.getOutputStream();
                    out.write(request(target).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    InputStream in = tls.getInputStream();
                    assertThat(Clients.readToEnd(in)).startsWith("HTTP/1.1 200 ").endsWith("hello");
                }
            }
            assertThat(logLine(target)).startsWith(CLIENT + " - - [");
        }

        @Test
        void aConnectionThatStartsWithoutAHeaderIsClosedWithoutAnAnswer() throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(httpd.uri().getHost(), httpd.uri().getPort()), 10_000);
                socket.setSoTimeout((int) HttpdProcess.WAIT.toMillis());
                Clients.writeNow(socket.getOutputStream(), request("/hello.txt?test=none"));
                // closed with the request unread: the end of the stream, or a reset for the unread bytes
                int first;
                try {
                    first = socket.getInputStream().read();
                } catch (SocketException reset) {
                    first = -1;
                }
                assertThat(first).as("the first byte of an answer").isEqualTo(-1);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithTrustedProxy {
        private HttpdProcess httpd;

        @BeforeAll
        void start(@TempDir Path dir) throws Exception {
            assumeTrue(Clients.otherLoopbackWorks(), "cannot bind a client socket to " + Clients.OTHER_LOOPBACK);
            // 127.0.0.1 plays the proxy, 127.0.0.2 a client that connects directly
            httpd = serve(dir, 1, List.of("--bind", "127.0.0.1", "--port", "0", "--trusted-proxy", "127.0.0.1",
                    "--trusted-headers", "x-forwarded", "--hsts", "600", "--access-log"));
        }

        @AfterAll
        void stop() throws Exception {
            if (httpd != null) {
                httpd.close();
            }
        }

        private String get(InetAddress from, String target, String... headers) throws Exception {
            String response = Clients.rawFrom(from, httpd.uri(), request(target, headers));
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("hello");
            return response;
        }

        private String logLine(String target) throws InterruptedException {
            return httpd.awaitStdoutLine(line -> line.contains("\"GET " + target + " "));
        }

        @Test
        void xForwardedForFromATrustedProxyNamesTheClient() throws Exception {
            String target = "/hello.txt?test=trusted";
            get(InetAddress.getLoopbackAddress(), target, "X-Forwarded-For", "198.51.100.1, " + CLIENT);
            assertThat(logLine(target)).startsWith(CLIENT + " - - [");
        }

        @Test
        void forwardingFieldsFromAPeerNotTrustedAreIgnored() throws Exception {
            String target = "/hello.txt?test=untrusted";
            get(Clients.OTHER_LOOPBACK, target, "X-Forwarded-For", CLIENT, "X-Forwarded-Proto", "https");
            assertThat(logLine(target)).startsWith(Clients.OTHER_LOOPBACK.getHostAddress() + " - - [");
        }

        @Test
        void theForwardedFieldGoesUnreadWithTrustedHeadersXForwarded() throws Exception {
            String target = "/hello.txt?test=forwarded";
            get(InetAddress.getLoopbackAddress(), target, "Forwarded", "for=" + CLIENT);
            assertThat(logLine(target)).startsWith("127.0.0.1 - - [");
        }

        @Test
        void hstsGoesToTheRequestsATrustedProxySaysCameOverHttpsOnly() throws Exception {
            InetAddress proxy = InetAddress.getLoopbackAddress();
            assertThat(get(proxy, "/hello.txt?test=https", "X-Forwarded-Proto", "https"))
                    .contains("\r\nStrict-Transport-Security: max-age=600\r\n");
            assertThat(get(proxy, "/hello.txt?test=http", "X-Forwarded-Proto", "http"))
                    .doesNotContain("Strict-Transport-Security");
            assertThat(get(Clients.OTHER_LOOPBACK, "/hello.txt?test=untrusted-https", "X-Forwarded-Proto", "https"))
                    .doesNotContain("Strict-Transport-Security");
        }
    }
}
