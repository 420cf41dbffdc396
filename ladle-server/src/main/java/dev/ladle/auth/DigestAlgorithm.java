package dev.ladle.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Digest algorithms {@link DigestAuthDomain} supports (RFC 7616 section 3.2): MD5 and SHA-256,
 * each also in its {@code -sess} variant, where the first hash is bound to the server and client
 * nonces.
 */
public enum DigestAlgorithm {
    /** {@code MD5}: what libsoup and older clients use. */
    MD5("MD5", "MD5", false),
    /** {@code MD5-sess}. */
    MD5_SESS("MD5-sess", "MD5", true),
    /** {@code SHA-256}: the algorithm RFC 7616 prefers. */
    SHA_256("SHA-256", "SHA-256", false),
    /** {@code SHA-256-sess}. */
    SHA_256_SESS("SHA-256-sess", "SHA-256", true);

    private static final HexFormat HEX = HexFormat.of();

    private final String token;
    private final String jcaName;
    private final boolean session;

    DigestAlgorithm(String token, String jcaName, boolean session) {
        this.token = token;
        this.jcaName = jcaName;
        this.session = session;
    }

    /** Returns the name used in the {@code algorithm} parameter, such as {@code SHA-256-sess}. */
    public String token() {
        return token;
    }

    /** Returns true for the {@code -sess} variants. */
    public boolean isSession() {
        return session;
    }

    /** Returns the length in hex digits of this algorithm's hashes (32 for MD5, 64 for SHA-256). */
    public int hexLength() {
        return jcaName.equals("MD5") ? 32 : 64;
    }

    /**
     * Returns the algorithm named {@code token}, compared case-insensitively; a missing parameter means
     * {@link #MD5} (RFC 7616 section 3.3).
     *
     * @return the algorithm, or null when {@code token} names none of these
     */
    public static DigestAlgorithm fromToken(String token) {
        if (token == null) {
            return MD5;
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(token)) {
                return a;
            }
        }
        return null;
    }

    /** Returns the lower-case hex of this algorithm's hash of {@code parts} joined with {@code ':'}. */
    String hash(byte[]... parts) {
        MessageDigest md = newDigest();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                md.update((byte) ':');
            }
            md.update(parts[i]);
        }
        return HEX.formatHex(md.digest());
    }

    /** Returns {@code H(user:realm:password)}, all three as UTF-8: what a password database stores. */
    String userRealmPassword(String user, String realm, String password) {
        return hash(utf8(user), utf8(realm), utf8(password));
    }

    /**
     * Returns the {@code A1} hash to use in responses: the stored {@code H(user:realm:password)}, or for
     * a {@code -sess} variant {@code H(stored:nonce:cnonce)}.
     */
    String a1(String storedHash, String nonce, String cnonce) {
        if (!session) {
            return storedHash;
        }
        return hash(ascii(storedHash), AuthText.wireBytes(nonce), AuthText.wireBytes(cnonce));
    }

    /**
     * Returns the {@code qop=auth} response: {@code H(A1:nonce:nc:cnonce:qop:H(A2))}, where A2 is
     * {@code method:uri} for a request, and {@code :uri} for the {@code rspauth} of
     * {@code Authentication-Info}.
     */
    String response(String a1, String nonce, String nc, String cnonce, String method, String uri) {
        String ha2 = hash(ascii(method), AuthText.wireBytes(uri));
        return hash(ascii(a1), AuthText.wireBytes(nonce), ascii(nc), AuthText.wireBytes(cnonce), ascii("auth"), ascii(ha2));
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns true when {@code hex} looks like one of this algorithm's hashes. */
    boolean isHash(String hex) {
        if (hex.length() != hexLength()) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code hex} lower-cased, for comparisons. */
    static String lower(String hex) {
        return hex.toLowerCase(Locale.ROOT);
    }
}
