package dev.ladle.tls;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The TLS versions and cipher suites an https listener offers, in the server's order of preference
 * (the server's order wins over the client's). Immutable and thread-safe.
 *
 * <p>Two named profiles follow Mozilla's server-side TLS guidelines: {@link #INTERMEDIATE}, the
 * default, and {@link #MODERN}; {@link #of} gives the versions and suites explicitly. Key-exchange
 * groups (curves) and signature schemes are not part of a profile: the JDK's secure defaults apply.
 */
public final class TlsProfile {
    private static final String TLS_1_3 = "TLSv1.3";
    private static final String TLS_1_2 = "TLSv1.2";
    /** The TLS 1.3 suites, all AEAD; TLS 1.3 key exchange always has forward secrecy. */
    private static final List<String> TLS_1_3_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * TLS 1.3, and TLS 1.2 with AEAD suites that have forward secrecy only: ECDHE (ECDSA or RSA
     * certificates) and DHE-RSA with AES-GCM or ChaCha20-Poly1305, as in Mozilla's "intermediate"
     * configuration. No CBC suite (LUCKY13), no static RSA key exchange. The default.
     */
    public static final TlsProfile INTERMEDIATE = new TlsProfile("intermediate", "TLS 1.3, TLS 1.2 AEAD+FS",
            List.of(TLS_1_3, TLS_1_2),
            concat(TLS_1_3_SUITES, List.of(
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256")));

    /** TLS 1.3 only, with its three suites (Mozilla's "modern" configuration). */
    public static final TlsProfile MODERN = new TlsProfile("modern", "TLS 1.3 only", List.of(TLS_1_3), TLS_1_3_SUITES);

    /** The name of profiles made by {@link #of}. */
    public static final String CUSTOM = "custom";

    private final String name;
    private final String summary;
    private final List<String> protocols;
    private final List<String> cipherSuites;

    private TlsProfile(String name, String summary, List<String> protocols, List<String> cipherSuites) {
        this.name = name;
        this.summary = summary;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /**
     * A profile offering exactly these TLS versions and cipher suites, in this order of preference;
     * its name is {@value #CUSTOM}. A name given twice counts once.
     *
     * @param protocols JDK protocol names such as {@code TLSv1.3} and {@code TLSv1.2}
     * @param cipherSuites JDK (IANA) suite names such as {@code TLS_AES_128_GCM_SHA256} and
     *     {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
     * @throws IllegalArgumentException naming the problem when a list is empty, a name is one the JDK
     *     does not support, or a version is left without any listed suite it can use (TLS 1.3 uses
     *     only the TLS 1.3 suites, older versions only the others)
     * @throws NullPointerException when a list or a name in it is null
     */
    public static TlsProfile of(List<String> protocols, List<String> cipherSuites) {
        List<String> versions = checked("TLS protocol", protocols, Supported.PROTOCOLS);
        List<String> suites = checked("cipher suite", cipherSuites, Supported.CIPHER_SUITES);
        for (String version : versions) {
            boolean tls13 = version.equals(TLS_1_3);
            if (suites.stream().noneMatch(suite -> usableWith(suite, tls13))) {
                throw new IllegalArgumentException("no listed cipher suite can be used with " + version
                        + (tls13 ? " (it needs one of " : " (it needs one other than the TLS 1.3 suites ")
                        + TLS_1_3_SUITES + ")");
            }
        }
        String summary = String.join(", ", versions) + " with " + suites.size()
                + (suites.size() == 1 ? " cipher suite" : " cipher suites");
        return new TlsProfile(CUSTOM, summary, versions, suites);
    }

    /**
     * Returns the named profile: {@code intermediate} or {@code modern}, in any case.
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    public static TlsProfile named(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "intermediate" -> INTERMEDIATE;
            case "modern" -> MODERN;
            default -> throw new IllegalArgumentException("unknown TLS profile '" + name + "' (known: intermediate, modern)");
        };
    }

    /** Returns {@code intermediate}, {@code modern} or {@value #CUSTOM}. */
    public String name() {
        return name;
    }

    /** Returns a short description for people, such as {@code TLS 1.3, TLS 1.2 AEAD+FS}. */
    public String summary() {
        return summary;
    }

    /** Returns the TLS versions offered (JDK names, such as {@code TLSv1.3}), most preferred first. */
    public List<String> protocols() {
        return protocols;
    }

    /** Returns the cipher suites offered (JDK names), most preferred first. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Says what the profile enables: its name, its versions and its suites. */
    @Override
    public String toString() {
        return name + " (" + summary + "): protocols " + protocols + ", cipher suites " + cipherSuites;
    }

    /** Profiles are equal when they have the same name, versions and suites in the same order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TlsProfile that && name.equals(that.name) && protocols.equals(that.protocols)
                && cipherSuites.equals(that.cipherSuites);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, protocols, cipherSuites);
    }

    /**
     * True when {@code suite} can be negotiated in TLS 1.3 ({@code tls13}) or in an older version. TLS
     * 1.3 suite names name no key exchange ({@code TLS_AES_128_GCM_SHA256}), the others do
     * ({@code TLS_ECDHE_..._WITH_...}); a signalling value ({@code ..._SCSV}) is no suite at all.
     */
    private static boolean usableWith(String suite, boolean tls13) {
        return !suite.endsWith("_SCSV") && suite.contains("_WITH_") != tls13;
    }

    private static List<String> checked(String what, List<String> names, Set<String> supported) {
        Objects.requireNonNull(names, what + "s");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given: a TLS profile needs at least one");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String name : names) {
            Objects.requireNonNull(name, what);
            if (!supported.contains(name)) {
                throw new IllegalArgumentException("unknown " + what + " '" + name + "': this JDK supports " + supported);
            }
            distinct.add(name);
        }
        return List.copyOf(distinct);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** What this JDK can do; looked up on the first explicit profile, not when the class loads. */
    private static final class Supported {
        static final Set<String> PROTOCOLS;
        static final Set<String> CIPHER_SUITES;

        static {
            try {
                SSLParameters supported = SSLContext.getDefault().getSupportedSSLParameters();
                PROTOCOLS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(supported.getProtocols())));
                CIPHER_SUITES = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(supported.getCipherSuites())));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no TLS implementation", e);
            }
        }

        private Supported() {
        }
    }
}
