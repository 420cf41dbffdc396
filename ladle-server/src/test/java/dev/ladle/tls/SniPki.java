package dev.ladle.tls;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The certificates of the SNI tests, issued once per test class by an RSA {@link TestPki} CA. Each has its
 * own common name, which is what the tests compare, and {@code IP:127.0.0.1} besides its DNS names, so
 * that clients connecting to the address verify it whatever name they send.
 */
final class SniPki {
    final TestPki pki;
    /** {@code CN=localhost}, EC: the default certificate of most tests. */
    final TlsCertificate fallback;
    /** {@code CN=a-ec}, EC, for {@code a.example.com}. */
    final TestPki.Issued aEc;
    /** {@code CN=a-rsa}, RSA, for {@code a.example.com}. */
    final TestPki.Issued aRsa;
    /** {@code CN=b}, EC, for {@code b.example.com}. */
    final TestPki.Issued b;
    /** {@code CN=b-next}, EC, for {@code b.example.com}: b's successor. */
    final TestPki.Issued bNext;
    /** {@code CN=wild}, EC, for {@code *.wild.example}. */
    final TestPki.Issued wild;
    /** {@code CN=ip-only}, EC, for {@code IP:127.0.0.1} alone: no DNS name. */
    final TestPki.Issued ipOnly;

    private SniPki(Path dir) throws IOException {
        // an RSA CA: a client that accepts only RSA signatures must still be able to verify every chain
        pki = TestPki.create(dir, TestPki.KeyKind.RSA);
        fallback = TlsCertificate.fromPemFiles(pki.serverChain, pki.serverKey);
        aEc = pki.issueServer("a-ec", "a-ec", TestPki.KeyKind.EC, "DNS:a.example.com", "IP:127.0.0.1");
        aRsa = pki.issueServer("a-rsa", "a-rsa", TestPki.KeyKind.RSA, "DNS:a.example.com", "IP:127.0.0.1");
        b = pki.issueServer("b", "b", TestPki.KeyKind.EC, "DNS:b.example.com", "IP:127.0.0.1");
        bNext = pki.issueServer("b-next", "b-next", TestPki.KeyKind.EC, "DNS:b.example.com", "IP:127.0.0.1");
        wild = pki.issueServer("wild", "wild", TestPki.KeyKind.EC, "DNS:*.wild.example", "IP:127.0.0.1");
        ipOnly = pki.issueServer("ip-only", "ip-only", TestPki.KeyKind.EC, "IP:127.0.0.1");
    }

    /** Makes the CA and the certificates in {@code dir}. */
    static SniPki create(Path dir) throws IOException {
        return new SniPki(dir);
    }
}
