package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.http.HttpVersion;
import dev.ladle.tls.TlsCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MockServer with client certificates (TestCertificates): a server that requires or requests one, driven
 * by the JDK HttpClient, OkHttp and curl over real TLS connections.
 */
@Timeout(30)
class MockServerClientCertificateTest {
    private static final TestCertificates CERTS = TestCertificates.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private MockServer requiring() {
        MockServer server = MockServer.builder().https(CERTS.serverCertificate()).requireClientCertificate(CERTS.trustDatabase()).start();
        toClose.add(server);
        server.onGet("/whoami").respond(200, "text/plain", "hello");
        return server;
    }

    private HttpClient jdkClient(SSLContext tls, HttpClient.Version version) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(version).build();
        toClose.add(client);
        return client;
    }

    private static HttpResponse<String> get(HttpClient client, MockServer server) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri("/whoami")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private OkHttpClient okHttp(SSLContext tls) {
        OkHttpClient ok = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), CERTS.trustManager()).build();
        toClose.add(() -> {
            ok.dispatcher().executorService().shutdown();
            ok.connectionPool().evictAll();
        });
        return ok;
    }

    @Test
    void jdkClientWithTheCertificateIsServedOverHttp2AndItsCertificateRecorded() throws Exception {
        MockServer server = requiring();
        HttpResponse<String> response = get(jdkClient(CERTS.clientSslContext(), HttpClient.Version.HTTP_2), server);
        assertThat(response.body()).isEqualTo("hello");
        RecordedRequest request = server.takeRequest();
        assertThat(request.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(request.clientCertificates()).containsExactlyElementsOf(CERTS.clientCertificate().getCertificateChain());
    }

    @Test
    void jdkClientWithTheCertificateIsServedOverHttp1AndItsCertificateRecorded() throws Exception {
        MockServer server = requiring();
        HttpResponse<String> response = get(jdkClient(CERTS.clientSslContext(), HttpClient.Version.HTTP_1_1), server);
        assertThat(response.body()).isEqualTo("hello");
        RecordedRequest request = server.takeRequest();
        assertThat(request.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(request.clientCertificates()).containsExactlyElementsOf(CERTS.clientCertificate().getCertificateChain());
    }

    @Test
    void jdkClientWithoutACertificateFailsTheHandshakeUnderRequired() {
        MockServer server = requiring();
        HttpClient client = jdkClient(CERTS.trustingSslContext(), HttpClient.Version.HTTP_2);
        assertThatThrownBy(() -> get(client, server)).isInstanceOf(IOException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aClientCertificateFromAnotherCaFailsTheHandshakeUnderRequired() {
        MockServer server = requiring();
        TestCertificates stranger = TestCertificates.create();
        // trusts our server's CA but presents a certificate that another CA issued
        SSLContext tls = sslContext(stranger, CERTS);
        assertThatThrownBy(() -> get(jdkClient(tls, HttpClient.Version.HTTP_1_1), server)).isInstanceOf(IOException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void okHttpWithTheCertificateIsServedAndItsCertificateRecorded() throws Exception {
        MockServer server = requiring();
        Request request = new Request.Builder().url(server.uri("/whoami").toString()).build();
        try (Response response = okHttp(CERTS.clientSslContext()).newCall(request).execute()) {
            assertThat(response.body().string()).isEqualTo("hello");
        }
        assertThat(server.takeRequest().clientCertificates()).containsExactlyElementsOf(CERTS.clientCertificate().getCertificateChain());
    }

    @Test
    void okHttpWithoutACertificateFailsUnderRequired() {
        MockServer server = requiring();
        Request request = new Request.Builder().url(server.uri("/whoami").toString()).build();
        assertThatThrownBy(() -> {
            try (Response response = okHttp(CERTS.trustingSslContext()).newCall(request).execute()) {
                response.body().string();
            }
        }).isInstanceOf(IOException.class);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void requestedServesAClientWithoutACertificateAndRecordsNone() throws Exception {
        MockServer server = MockServer.builder().https(CERTS.serverCertificate()).requestClientCertificate(CERTS.trustDatabase()).start();
        toClose.add(server);
        server.onGet("/whoami").respond(200, "text/plain", "hello");
        assertThat(get(jdkClient(CERTS.trustingSslContext(), HttpClient.Version.HTTP_2), server).body()).isEqualTo("hello");
        assertThat(server.takeRequest().clientCertificates()).isEmpty();
    }

    @Test
    void requestedRecordsTheCertificateOfAClientThatHasOne() throws Exception {
        MockServer server = MockServer.builder().https(CERTS.serverCertificate()).requestClientCertificate(CERTS.trustDatabase()).start();
        toClose.add(server);
        server.onGet("/whoami").respond(200, "text/plain", "hello");
        assertThat(get(jdkClient(CERTS.clientSslContext(), HttpClient.Version.HTTP_2), server).body()).isEqualTo("hello");
        assertThat(server.takeRequest().clientCertificates()).containsExactlyElementsOf(CERTS.clientCertificate().getCertificateChain());
    }

    @Test
    void aServerThatDoesNotAskRecordsNoCertificate() throws Exception {
        MockServer server = MockServer.builder().https(CERTS.serverCertificate()).start();
        toClose.add(server);
        server.onGet("/whoami").respond(200, "text/plain", "hello");
        assertThat(get(jdkClient(CERTS.clientSslContext(), HttpClient.Version.HTTP_2), server).body()).isEqualTo("hello");
        assertThat(server.takeRequest().clientCertificates()).isEmpty();
    }

    @Test
    void theBuiltInHttpsCertificateIsTheSharedSetsServerCertificate() throws Exception {
        MockServer server = MockServer.builder().https().start();
        toClose.add(server);
        server.onGet("/whoami").respond(200, "text/plain", "hello");
        // a client that trusts the shared CA (not just the server's own certificate) is served
        assertThat(get(jdkClient(TestCertificates.shared().trustingSslContext(), HttpClient.Version.HTTP_2), server).body())
                .isEqualTo("hello");
    }

    @Test
    void clientCertificatesWithoutHttpsAreRefusedAtStart() {
        MockServer.Builder builder = MockServer.builder().requireClientCertificate(CERTS.trustDatabase());
        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("https()");
    }

    @Test
    void curlWithTheCertificateIsServedAndWithoutItIsRefused(@TempDir Path dir) throws Exception {
        MockServer server = requiring();
        CERTS.writePemFiles(dir);
        String url = server.uri("/whoami").toString();
        Curl with = curl(dir, "--cacert", "ca.pem", "--cert", "client.pem", "--key", "client-key.pem", url);
        assertThat(with.exitCode()).isZero();
        assertThat(with.output()).isEqualTo("hello");
        // OpenSSL completes the chain it presents from its trust store: the leaf, then the CA
        assertThat(server.takeRequest().clientCertificates())
                .containsExactly(CERTS.clientCertificate().getCertificateChain().get(0), CERTS.caCertificate());

        Curl without = curl(dir, "--cacert", "ca.pem", url);
        assertThat(without.exitCode()).isNotZero();
        assertThat(server.requests()).hasSize(1);
    }

    private record Curl(int exitCode, String output) {
    }

    private static Curl curl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    /**
     * A client context that trusts {@code trusting}'s CA and presents {@code presenting}'s client
     * certificate whatever CAs the server names (the JDK's own key manager would hold back a certificate
     * from a CA the server did not list, and the test would prove less).
     */
    private static SSLContext sslContext(TestCertificates presenting, TestCertificates trusting) {
        TlsCertificate certificate = presenting.clientCertificate();
        X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
                return "client";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
                return "client";
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return certificate.getCertificateChain().toArray(X509Certificate[]::new);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return certificate.getPrivateKey();
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {always}, new TrustManager[] {trusting.trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
