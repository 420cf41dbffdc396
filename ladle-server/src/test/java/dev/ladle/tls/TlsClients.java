package dev.ladle.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** JDK TLS clients for the tests: trust the test CA, optionally present a client certificate. */
final class TlsClients {
    private TlsClients() {
    }

    /** A client context trusting {@code caCert}, presenting {@code clientCertificate} when not null. */
    static SSLContext context(Path caCert, TlsCertificate clientCertificate) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TlsCertificate.certificates(TlsCertificate.parse(caCert), "ca").get(0));
        TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
        trustFactory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManager[] keys = clientCertificate == null ? null : new KeyManager[] {new FixedKeyManager(clientCertificate)};
        context.init(keys, trustFactory.getTrustManagers(), null);
        return context;
    }

    /** Connects to 127.0.0.1:{@code port} offering ALPN {@code http/1.1} (the requests here speak it) and completes the handshake. */
    static SSLSocket connect(SSLContext context, int port, String... protocols) throws IOException {
        return connectOffering(context, port, new String[] {"http/1.1"}, protocols);
    }

    /** Connects to 127.0.0.1:{@code port} offering the ALPN protocols {@code alpn} and completes the handshake. */
    static SSLSocket connectOffering(SSLContext context, int port, String[] alpn, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        var params = socket.getSSLParameters();
        params.setApplicationProtocols(alpn);
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    /** Sends one request on {@code socket} and returns the response body (the server's description). */
    static String request(Socket socket) throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        String response = readAll(socket.getInputStream());
        return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
    }

    /** Connects, sends one request and returns the body. */
    static String fetch(SSLContext context, int port, String... protocols) throws IOException {
        try (SSLSocket socket = connect(context, port, protocols)) {
            return request(socket);
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The first flight of a real TLS client, as produced by the JDK. */
    static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SSLSession session = engine.getSession();
        ByteBuffer out = ByteBuffer.allocate(session.getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /**
     * Presents one certificate whatever the server asks for: the JDK's own key managers only offer a
     * certificate issued by an authority the server names, and the tests also need untrusted ones.
     */
    static final class FixedKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final TlsCertificate certificate;

        FixedKeyManager(TlsCertificate certificate) {
            this.certificate = certificate;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return certificate.getCertificateChain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return certificate.getPrivateKey();
        }
    }
}
