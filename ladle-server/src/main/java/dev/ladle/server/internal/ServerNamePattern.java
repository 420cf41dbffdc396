package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificate;
import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The server names a certificate is chosen for (SNI): exact host names and wildcards, in the one form
 * they are compared in, lower-case ASCII with IDNs as A-labels ({@code xn--...}), as clients send them.
 *
 * <p>A wildcard is {@code *.} followed by a host name and stands for exactly one more label, as in
 * RFC 6125 section 6.4.3: {@code *.example.com} covers {@code www.example.com}, neither
 * {@code example.com} nor {@code a.b.example.com}. Partial wildcards ({@code w*.example.com}) are refused.
 */
final class ServerNamePattern {
    /** The subjectAltName type of a DNS name (RFC 5280 section 4.2.1.6). */
    private static final int DNS_NAME = 2;
    private static final String WILDCARD = "*.";

    private ServerNamePattern() {
    }

    /**
     * Returns {@code pattern} in its compared form.
     *
     * @throws IllegalArgumentException naming the pattern when it is not a host name or {@code *.} and one
     */
    static String normalize(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("the server name is null");
        }
        boolean wildcard = pattern.startsWith(WILDCARD);
        String host = wildcard ? pattern.substring(WILDCARD.length()) : pattern;
        String ascii;
        try {
            // the JDK's SNIHostName applies the same rules to the names clients send
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid server name: \"" + pattern + "\" (" + e.getMessage() + ")", e);
        }
        if (ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
            throw new IllegalArgumentException("not a valid server name: \"" + pattern + "\" (an empty label)");
        }
        return wildcard ? WILDCARD + ascii : ascii;
    }

    /**
     * Returns the patterns a certificate is for: the DNS names of its leaf's subjectAltName, in their
     * compared form, without duplicates. IP addresses are left out: SNI never carries one (RFC 6066).
     *
     * @throws IllegalArgumentException naming the certificate when it has no DNS name or an unusable one
     */
    static List<String> of(TlsCertificate certificate) {
        X509Certificate leaf = certificate.getCertificateChain().get(0);
        Collection<List<?>> alternatives;
        try {
            alternatives = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException(certificate + ": unreadable subjectAltName: " + e.getMessage(), e);
        }
        List<String> patterns = new ArrayList<>();
        if (alternatives != null) {
            for (List<?> alternative : alternatives) {
                if (alternative.get(0) instanceof Integer type && type == DNS_NAME && alternative.get(1) instanceof String name) {
                    String pattern;
                    try {
                        pattern = normalize(name);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(certificate + ": " + e.getMessage(), e);
                    }
                    if (!patterns.contains(pattern)) {
                        patterns.add(pattern);
                    }
                }
            }
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException(certificate + " names no DNS host in its subjectAltName,"
                    + " so no client can ask for it by name");
        }
        return patterns;
    }

    /**
     * Returns the wildcard pattern that covers {@code host} (its first label replaced by {@code *}), or
     * null when it has a single label.
     *
     * @param host a host name in compared form
     */
    static String wildcardFor(String host) {
        int dot = host.indexOf('.');
        return dot <= 0 ? null : "*" + host.substring(dot);
    }
}
