package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ListenOption;
import dev.ladle.server.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the {@code openssl} command: a test CA, a server certificate for
 * 127.0.0.1 and localhost, client certificates signed by the CA (valid, expired, not yet valid) and a
 * self-signed "stranger". Nothing is committed; everything lives in a temporary directory.
 */
final class TestPki {
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    final Path dir;
    final Path caCert;
    final Path caKey;
    final Path serverCert;
    final Path serverKey;
    /** Server certificate followed by the CA certificate. */
    final Path serverChain;
    final Path clientCert;
    final Path clientKey;
    final Path expiredClientCert;
    final Path futureClientCert;
    final Path strangerCert;
    final Path strangerKey;

    private TestPki(Path dir) {
        this.dir = dir;
        caCert = dir.resolve("ca.crt");
        caKey = dir.resolve("ca.key");
        serverCert = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        serverChain = dir.resolve("server-chain.crt");
        clientCert = dir.resolve("client.crt");
        clientKey = dir.resolve("client.key");
        expiredClientCert = dir.resolve("client-expired.crt");
        futureClientCert = dir.resolve("client-future.crt");
        strangerCert = dir.resolve("stranger.crt");
        strangerKey = dir.resolve("stranger.key");
    }

    /** Creates the whole set in {@code dir}, with an ECDSA (P-256) CA. */
    static TestPki create(Path dir) throws IOException {
        return create(dir, KeyKind.EC);
    }

    /**
     * Creates the whole set in {@code dir}, with a CA whose key is of {@code caKind}: an RSA one lets a
     * client that accepts only RSA signatures verify the chains.
     */
    static TestPki create(Path dir, KeyKind caKind) throws IOException {
        TestPki pki = new TestPki(dir);
        pki.init(caKind);
        return pki;
    }

    private void init(KeyKind caKind) throws IOException {
        Files.createDirectories(dir.resolve("issued"));
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("ca.cnf"), """
                [ca]
                default_ca = ladle
                [ladle]
                database = %1$s/index.txt
                new_certs_dir = %1$s/issued
                rand_serial = yes
                default_md = sha256
                policy = any
                unique_subject = no
                email_in_dn = no
                [any]
                commonName = supplied
                [client]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = clientAuth
                [server]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                subjectAltName = IP:127.0.0.1, DNS:localhost
                """.formatted(dir));
        List<String> caKeyOptions = caKind == KeyKind.RSA ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        List<String> ca = new ArrayList<>(List.of("req", "-x509"));
        ca.addAll(caKeyOptions);
        ca.addAll(List.of("-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "30", "-subj", "/CN=Ladle Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        openssl(ca.toArray(String[]::new));
        ecKey(serverKey);
        issue(serverKey, "/CN=localhost", "server", serverCert, Duration.ofDays(-1), Duration.ofDays(30));
        Files.writeString(serverChain, Files.readString(serverCert) + Files.readString(caCert));
        ecKey(clientKey);
        issue(clientKey, "/CN=Alice", "client", clientCert, Duration.ofDays(-1), Duration.ofDays(30));
        issue(clientKey, "/CN=Alice expired", "client", expiredClientCert, Duration.ofDays(-400), Duration.ofDays(-35));
        issue(clientKey, "/CN=Alice future", "client", futureClientCert, Duration.ofDays(30), Duration.ofDays(60));
        ecKey(strangerKey);
        openssl("req", "-x509", "-new", "-key", strangerKey.toString(), "-out", strangerCert.toString(), "-days", "30",
                "-subj", "/CN=Stranger", "-addext", "extendedKeyUsage=clientAuth");
    }

    /** Reads the server certificate (for 127.0.0.1 and localhost, with its chain to the CA) as the server would. */
    TlsCertificate serverCertificate() throws IOException {
        return new Issued(serverChain, serverKey).load();
    }

    /**
     * Puts the {@linkplain #serverCertificate server certificate} on {@code server} and has it listen https
     * on 127.0.0.1, on a port the system picks. Returns the URI of that listener.
     */
    URI listenHttpsOnLoopback(Server server) throws IOException {
        server.setTlsCertificate(serverCertificate());
        server.listenLocal(0, EnumSet.of(ListenOption.HTTPS, ListenOption.IPV4_ONLY));
        return server.getUris().getLast();
    }

    /** A certificate file and its key file. */
    record Issued(Path cert, Path key) {
        /** Reads them as the server would. */
        TlsCertificate load() throws IOException {
            return TlsCertificate.fromPemFiles(cert, key);
        }
    }

    /** The key algorithms of {@link #issueServer}. */
    enum KeyKind {
        /** A P-256 key: ECDSA signatures. */
        EC,
        /** A 2048-bit key: RSA signatures. */
        RSA
    }

    /**
     * Issues a server certificate signed by the CA, for {@code subjectAltNames} as openssl writes them
     * ({@code DNS:a.example.com}, {@code IP:127.0.0.1}), with a new key of {@code kind}. The files are named
     * after {@code file}.
     */
    Issued issueServer(String file, String commonName, KeyKind kind, String... subjectAltNames) throws IOException {
        Path key = dir.resolve(file + ".key");
        Path cert = dir.resolve(file + ".crt");
        if (kind == KeyKind.RSA) {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
        } else {
            ecKey(key);
        }
        Path extensions = dir.resolve(file + ".ext");
        Files.writeString(extensions, """
                [server]
                basicConstraints = CA:FALSE
                keyUsage = critical, digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                """ + (subjectAltNames.length == 0 ? "" : "subjectAltName = " + String.join(", ", subjectAltNames) + "\n"));
        Path csr = dir.resolve(file + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        openssl("ca", "-batch", "-notext", "-config", dir.resolve("ca.cnf").toString(), "-cert", caCert.toString(),
                "-keyfile", caKey.toString(), "-in", csr.toString(), "-out", cert.toString(),
                "-extfile", extensions.toString(), "-extensions", "server",
                "-startdate", OPENSSL_TIME.format(now.minusDays(1)), "-enddate", OPENSSL_TIME.format(now.plusDays(30)));
        return new Issued(cert, key);
    }

    /** Writes a new PKCS#8 P-256 key. */
    void ecKey(Path key) {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    }

    /** Writes a certificate for {@code key} signed by the CA, valid from now+from to now+to. */
    void issue(Path key, String subject, String profile, Path out, Duration from, Duration to) {
        Path csr = dir.resolve(out.getFileName() + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-subj", subject, "-out", csr.toString());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        openssl("ca", "-batch", "-notext", "-config", dir.resolve("ca.cnf").toString(), "-cert", caCert.toString(),
                "-keyfile", caKey.toString(), "-in", csr.toString(), "-out", out.toString(), "-extensions", profile,
                "-startdate", OPENSSL_TIME.format(now.plus(from)), "-enddate", OPENSSL_TIME.format(now.plus(to)));
    }

    /** Runs {@code openssl} with {@code args}; fails the test when it fails. Returns its output. */
    static String openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return run(command, null);
    }

    /** Runs a command, feeding it {@code stdin} (or nothing); fails the test unless it exits with 0. */
    static String run(List<String> command, String stdin) {
        ProcessResult result = exec(command, stdin, Duration.ofSeconds(30));
        assertThat(result.exitCode()).as("%s\n%s", command, result.output()).isZero();
        return result.output();
    }

    /** The exit code and the merged standard output and error of a finished process. */
    record ProcessResult(int exitCode, String output) {
    }

    /** Runs a command to its end (killing it after {@code limit}) and returns its exit code and output. */
    static ProcessResult exec(List<String> command, String stdin, Duration limit) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            var output = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    process.getInputStream().transferTo(output);
                } catch (IOException e) {
                    // the process was killed: keep what was read
                }
            });
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            reader.join();
            return new ProcessResult(process.exitValue(), output.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
