package dev.ladle.junit;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes X.509 v3 certificates (RFC 5280) with EC P-256 keys and ECDSA-SHA256 signatures, in pure JDK:
 * the to-be-signed part is written in DER, signed with {@link Signature}, and read back through the
 * JDK's {@link CertificateFactory}, which checks the encoding. The JDK has no public API that issues
 * certificates, and this is a few hundred bytes of DER, so no {@code keytool} process is needed.
 */
final class CertificateMaker {
    /** What a certificate is for: its basic constraints, key usage and extended key usage. */
    enum Role {
        CA, SERVER, CLIENT
    }

    /** Whoever signs: their name (DER) and key pair. A self-signed CA is its own issuer. */
    record Issuer(byte[] name, KeyPair keys) {
    }

    private static final String EC_PUBLIC_KEY_CURVE = "secp256r1";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    /** GeneralName choices (RFC 5280 §4.2.1.6), implicitly tagged. */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMaker() {
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(EC_PUBLIC_KEY_CURVE), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /** The DER {@code Name} {@code O=ladle-junit, CN=commonName}. */
    static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8String("ladle-junit"))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
    }

    /**
     * Issues a certificate for {@code subjectKey} named {@code subjectName}, valid from {@code notBefore}
     * to {@code notAfter}, signed by {@code issuer}; {@code hosts} (DNS names or IP literals) go into the
     * subject alternative names of a server certificate.
     *
     * @throws IllegalArgumentException when a host is neither an IP literal nor a DNS name
     */
    static X509Certificate issue(Role role, byte[] subjectName, PublicKey subjectKey, List<String> hosts, Issuer issuer,
            Instant notBefore, Instant notAfter) {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(extension(BASIC_CONSTRAINTS, true, role == Role.CA
                ? Der.sequence(Der.bool(true), Der.integer(0)) // a CA that signs leaves only
                : Der.sequence()));
        extensions.add(extension(KEY_USAGE, true, role == Role.CA
                ? Der.bitString(new byte[] {0x06}, 1)           // keyCertSign (5), cRLSign (6)
                : Der.bitString(new byte[] {(byte) 0x80}, 7))); // digitalSignature (0): ECDHE, ECDSA
        if (role != Role.CA) {
            extensions.add(extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(role == Role.SERVER ? SERVER_AUTH : CLIENT_AUTH))));
        }
        if (!hosts.isEmpty()) {
            extensions.add(extension(SUBJECT_ALT_NAME, false, subjectAltNames(hosts)));
        }
        extensions.add(extension(SUBJECT_KEY_IDENTIFIER, false, Der.octetString(keyIdentifier(subjectKey))));
        if (role != Role.CA) {
            extensions.add(extension(AUTHORITY_KEY_IDENTIFIER, false,
                    Der.sequence(Der.implicitPrimitive(0, keyIdentifier(issuer.keys().getPublic())))));
        }
        byte[] toBeSigned = Der.sequence(
                Der.explicit(0, Der.integer(2)), // v3
                Der.integer(new BigInteger(126, RANDOM).setBit(126)), // positive, at most 16 octets, never 0
                algorithm,
                issuer.name(),
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subjectName,
                subjectKey.getEncoded(), // already a DER SubjectPublicKeyInfo
                Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
        try {
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(issuer.keys().getPrivate(), RANDOM);
            signer.update(toBeSigned);
            byte[] certificate = Der.sequence(toBeSigned, algorithm, Der.bitString(signer.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a test certificate: " + e.getMessage(), e);
        }
    }

    /** An {@code Extension}: its id, {@code critical} only when true (DER omits a DEFAULT value), its value. */
    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] subjectAltNames(List<String> hosts) {
        List<byte[]> names = new ArrayList<>();
        for (String host : hosts) {
            byte[] address = ipLiteral(host);
            names.add(address != null
                    ? Der.implicitPrimitive(IP_ADDRESS, address)
                    : Der.implicitPrimitive(DNS_NAME, host.getBytes(StandardCharsets.US_ASCII)));
        }
        return Der.sequence(names.toArray(byte[][]::new));
    }

    /**
     * The address bytes of an IPv4 or IPv6 literal, or null for a DNS name.
     *
     * @throws IllegalArgumentException when {@code host} is neither
     */
    static byte[] ipLiteral(String host) {
        if (IPV4.matcher(host).matches()) {
            byte[] address = new byte[4];
            String[] parts = host.split("\\.");
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + host);
                }
                address[i] = (byte) part;
            }
            return address;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.indexOf(':') >= 0) {
            try {
                // with a colon the JDK parses an IPv6 literal and never looks the name up
                return InetAddress.getByName(bare).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 address: " + host, e);
            }
        }
        if (!DNS.matcher(host).matches()) {
            throw new IllegalArgumentException("not a DNS name or an IP address: \"" + host + "\"");
        }
        return null;
    }

    /** SHA-1 of the key's encoding: any value unique to the key serves (RFC 7093). */
    private static byte[] keyIdentifier(PublicKey key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-1", e);
        }
    }
}
