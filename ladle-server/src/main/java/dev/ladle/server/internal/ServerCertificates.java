package dev.ladle.server.internal;

import dev.ladle.tls.TlsCertificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The certificates of a server's https listeners, as one immutable snapshot: a default certificate and
 * certificates by server name (SNI). Every change makes a new snapshot, so a TLS context built from one
 * stays valid, and comparing snapshots by identity tells whether the context must be rebuilt.
 *
 * <p>Per name there is at most one certificate per key type ({@code RSA}, {@code EC}...): the JDK asks
 * for a key type in the order of the client's signature algorithms, and the name's certificate of that
 * type answers. Adding a certificate of a type a name already has replaces the old one (rotation).
 */
public final class ServerCertificates {
    /** No certificate at all. */
    public static final ServerCertificates EMPTY = new ServerCertificates(null, Map.of());

    private final TlsCertificate defaultCertificate;
    /** Patterns in compared form, in the order first added; each with its certificates, one per key type. */
    private final Map<String, List<TlsCertificate>> byName;

    private ServerCertificates(TlsCertificate defaultCertificate, Map<String, List<TlsCertificate>> byName) {
        this.defaultCertificate = defaultCertificate;
        this.byName = byName;
    }

    /** Returns the default certificate as set, or null. */
    public TlsCertificate defaultCertificate() {
        return defaultCertificate;
    }

    /** Returns the certificates by name pattern, in the order the names were first added (unmodifiable). */
    public Map<String, List<TlsCertificate>> byName() {
        return byName;
    }

    /** Returns true when there is no certificate at all, so no handshake can succeed. */
    public boolean isEmpty() {
        return defaultCertificate == null && byName.isEmpty();
    }

    /**
     * Returns a snapshot with {@code certificate} (or none, for null) as the default; this one when it
     * is already, so that setting the same certificate again keeps the TLS context and its sessions.
     */
    public ServerCertificates withDefault(TlsCertificate certificate) {
        return certificate == defaultCertificate ? this : new ServerCertificates(certificate, byName);
    }

    /**
     * Returns a snapshot with {@code certificate} added for each of {@code patterns}, replacing a
     * certificate of the same key type for the same name.
     *
     * @param patterns names as given; null to take the DNS names of the certificate's subjectAltName
     * @throws IllegalArgumentException naming the pattern or the certificate when a name is unusable
     */
    public ServerCertificates with(List<String> patterns, TlsCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        List<String> normalized = new ArrayList<>();
        if (patterns == null) {
            normalized.addAll(ServerNamePattern.of(certificate));
        } else {
            for (String pattern : patterns) {
                normalized.add(ServerNamePattern.normalize(pattern));
            }
        }
        Map<String, List<TlsCertificate>> names = new LinkedHashMap<>(byName);
        String keyType = keyType(certificate);
        for (String pattern : normalized) {
            List<TlsCertificate> certificates = new ArrayList<>(names.getOrDefault(pattern, List.of()));
            certificates.removeIf(c -> keyType(c).equals(keyType));
            certificates.add(certificate);
            names.put(pattern, List.copyOf(certificates));
        }
        return new ServerCertificates(defaultCertificate, Collections.unmodifiableMap(names));
    }

    /**
     * Returns a snapshot without the certificates of {@code pattern} (this exact pattern only), or this
     * one when it has none.
     *
     * @throws IllegalArgumentException when the pattern is not a valid server name
     */
    public ServerCertificates without(String pattern) {
        String normalized = ServerNamePattern.normalize(pattern);
        if (!byName.containsKey(normalized)) {
            return this;
        }
        Map<String, List<TlsCertificate>> names = new LinkedHashMap<>(byName);
        names.remove(normalized);
        return new ServerCertificates(defaultCertificate, Collections.unmodifiableMap(names));
    }

    /**
     * Returns the certificates a client asking for {@code serverName} may get: those of the exact name,
     * else those of the wildcard covering it, else the default, else (like nginx's first server) those
     * of the name added first. Empty only when the snapshot is.
     *
     * @param serverName the name from the client's SNI, in lower-case ASCII, or null when it sent none
     */
    List<TlsCertificate> forServerName(String serverName) {
        if (serverName != null) {
            List<TlsCertificate> exact = byName.get(serverName);
            if (exact != null) {
                return exact;
            }
            String wildcard = ServerNamePattern.wildcardFor(serverName);
            List<TlsCertificate> covering = wildcard == null ? null : byName.get(wildcard);
            if (covering != null) {
                return covering;
            }
        }
        if (defaultCertificate != null) {
            return List.of(defaultCertificate);
        }
        return byName.isEmpty() ? List.of() : byName.values().iterator().next();
    }

    /** Returns every certificate once (the default first), compared by identity. */
    List<TlsCertificate> all() {
        Set<TlsCertificate> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<TlsCertificate> all = new ArrayList<>();
        if (defaultCertificate != null && seen.add(defaultCertificate)) {
            all.add(defaultCertificate);
        }
        for (List<TlsCertificate> certificates : byName.values()) {
            for (TlsCertificate certificate : certificates) {
                if (seen.add(certificate)) {
                    all.add(certificate);
                }
            }
        }
        return all;
    }

    /** Returns the key type the JDK asks a key manager for ({@code RSA}, {@code EC}, {@code EdDSA}...). */
    static String keyType(TlsCertificate certificate) {
        return certificate.getPrivateKey().getAlgorithm();
    }

    @Override
    public String toString() {
        return "default " + defaultCertificate + ", by name " + byName.keySet();
    }
}
