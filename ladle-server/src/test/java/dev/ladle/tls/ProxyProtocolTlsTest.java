package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.ProxyHeader;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 1 on an https listener with {@link ListenOption#PROXY_PROTOCOL}: the balancer sends the
 * PROXY header in the clear, then the client's TLS handshake follows on the same connection (as
 * HAProxy's {@code send-proxy-v2} in TCP mode does); a TLS client that sends no header is refused.
 */
class ProxyProtocolTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static SSLContext context;

    Server server;
    int port;

    @BeforeAll
    static void createPki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        context = TlsClients.context(pki.caCert, null);
    }

    @BeforeEach
    void start() throws IOException {
        server = new Server();
        server.setTlsCertificate(TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey));
        server.addHandler("/", (s, msg, path, query) -> {
            InetSocketAddress remote = (InetSocketAddress) msg.getRemoteAddress();
            String text = "remote=" + remote.getAddress().getHostAddress() + ":" + remote.getPort()
                    + " secure=" + msg.isSecure()
                    + " authority=" + msg.getProxyHeader().authority();
            msg.setResponse("text/plain", text.getBytes(StandardCharsets.UTF_8));
            msg.setStatus(200);
        });
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY, ListenOption.PROXY_PROTOCOL));
        port = server.getUris().get(0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Connects, writes {@code header} in the clear, then does the TLS handshake offering {@code alpn}. */
    private SSLSocket connectBehind(byte[] header, String... alpn) throws IOException {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
        raw.setSoTimeout(20_000);
        OutputStream out = raw.getOutputStream();
        out.write(header);
        out.flush();
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        var params = tls.getSSLParameters();
        params.setApplicationProtocols(alpn);
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    private static byte[] header() throws IOException {
        return new ProxyHeader(2, ProxyHeader.Command.PROXY,
                new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 56324),
                new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 443),
                List.of(new ProxyHeader.Tlv(ProxyHeader.PP2_TYPE_AUTHORITY, "localhost".getBytes(StandardCharsets.UTF_8))))
                .encode();
    }

    @Test
    void tlsHandshakeFollowsTheHeaderAndRequestsSeeTheHeadersClient() throws IOException {
        try (SSLSocket tls = connectBehind(header(), "http/1.1")) {
            assertThat(TlsClients.request(tls)).isEqualTo("remote=203.0.113.7:56324 secure=true authority=localhost");
        }
    }

    @Test
    void headerInTheSameWriteAsTheClientHelloIsReadExactly() throws IOException {
        // a header of version 1 and the handshake's first record leave in one segment when the client is fast
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            raw.setSoTimeout(20_000);
            raw.setTcpNoDelay(false);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(
                    new PrefixingSocket(raw, "PROXY TCP4 203.0.113.9 192.0.2.1 4242 443\r\n".getBytes(StandardCharsets.US_ASCII)),
                    "localhost", port, true);
            var params = tls.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            tls.setSSLParameters(params);
            tls.startHandshake();
            assertThat(TlsClients.request(tls)).startsWith("remote=203.0.113.9:4242 secure=true");
        }
    }

    @Test
    void http2IsNegotiatedAfterTheHeader() throws IOException {
        try (SSLSocket tls = connectBehind(header(), "h2", "http/1.1")) {
            assertThat(tls.getApplicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void tlsClientWithoutAHeaderIsRefusedWithoutAnAnswer() {
        assertThatThrownBy(() -> TlsClients.fetch(context, port)).isInstanceOf(IOException.class);
    }

    /** A socket whose output starts with {@code prefix}, written together with the first bytes the TLS layer writes. */
    private static final class PrefixingSocket extends Socket {
        private final Socket socket;
        private final byte[] prefix;

        PrefixingSocket(Socket socket, byte[] prefix) {
            this.socket = socket;
            this.prefix = prefix;
        }

        @Override
        public java.io.InputStream getInputStream() throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            OutputStream out = socket.getOutputStream();
            return new OutputStream() {
                private boolean first = true;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (first) {
                        first = false;
                        byte[] joined = java.util.Arrays.copyOf(prefix, prefix.length + len);
                        System.arraycopy(b, off, joined, prefix.length, len);
                        out.write(joined);
                    } else {
                        out.write(b, off, len);
                    }
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }
            };
        }

        @Override
        public boolean isConnected() {
            return socket.isConnected();
        }

        @Override
        public java.net.InetAddress getInetAddress() {
            return socket.getInetAddress();
        }

        @Override
        public int getPort() {
            return socket.getPort();
        }

        @Override
        public void setSoTimeout(int timeout) throws java.net.SocketException {
            socket.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws java.net.SocketException {
            return socket.getSoTimeout();
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public boolean isBound() {
            return socket.isBound();
        }

        @Override
        public java.net.SocketAddress getRemoteSocketAddress() {
            return socket.getRemoteSocketAddress();
        }

        @Override
        public java.net.SocketAddress getLocalSocketAddress() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public java.net.InetAddress getLocalAddress() {
            return socket.getLocalAddress();
        }

        @Override
        public int getLocalPort() {
            return socket.getLocalPort();
        }

        @Override
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void shutdownInput() throws IOException {
            socket.shutdownInput();
        }

        @Override
        public boolean isOutputShutdown() {
            return socket.isOutputShutdown();
        }

        @Override
        public boolean isInputShutdown() {
            return socket.isInputShutdown();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
