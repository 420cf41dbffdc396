package dev.ladle.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Digest client written apart from the domain's code (its own challenge parsing and hashing), so that
 * tests do not check the server with itself.
 */
final class DigestClient {
    private static final Pattern PARAM = Pattern.compile("([A-Za-z*-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]+)");

    final String realm;
    final String nonce;
    final String algorithm;
    final boolean stale;

    private DigestClient(String realm, String nonce, String algorithm, boolean stale) {
        this.realm = realm;
        this.nonce = nonce;
        this.algorithm = algorithm;
        this.stale = stale;
    }

    /** Reads one {@code Digest ...} challenge. */
    static DigestClient fromChallenge(String challenge) {
        if (!challenge.startsWith("Digest ")) {
            throw new IllegalArgumentException("not a Digest challenge: " + challenge);
        }
        String realm = param(challenge, "realm");
        String nonce = param(challenge, "nonce");
        String algorithm = param(challenge, "algorithm");
        return new DigestClient(realm, nonce, algorithm, "true".equalsIgnoreCase(param(challenge, "stale")));
    }

    static String param(String challenge, String name) {
        Matcher m = PARAM.matcher(challenge.substring(challenge.indexOf(' ') + 1));
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
            }
        }
        return null;
    }

    /** Returns the {@code Authorization} value for a request, with this challenge's nonce and algorithm. */
    String authorization(String user, String password, String method, String uri, int nc, String cnonce) {
        return authorization(user, password, method, uri, nc, cnonce, algorithm, realm);
    }

    /** Same, with the algorithm and realm chosen by the caller. */
    String authorization(String user, String password, String method, String uri, int nc, String cnonce,
            String alg, String claimedRealm) {
        String ncHex = String.format("%08x", nc);
        String response = response(user, password, method, uri, ncHex, cnonce, alg, claimedRealm);
        return "Digest username=\"" + user + "\", realm=\"" + claimedRealm + "\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", algorithm=" + alg + ", response=\"" + response
                + "\", qop=auth, nc=" + ncHex + ", cnonce=\"" + cnonce + "\"";
    }

    String response(String user, String password, String method, String uri, String ncHex, String cnonce,
            String alg, String claimedRealm) {
        String a1 = h(alg, user + ":" + claimedRealm + ":" + password);
        if (alg.toLowerCase(Locale.ROOT).endsWith("-sess")) {
            a1 = h(alg, a1 + ":" + nonce + ":" + cnonce);
        }
        return h(alg, a1 + ":" + nonce + ":" + ncHex + ":" + cnonce + ":auth:" + h(alg, method + ":" + uri));
    }

    /** Returns the {@code rspauth} the server should send back. */
    String rspauth(String user, String password, String uri, int nc, String cnonce) {
        return response(user, password, "", uri, String.format("%08x", nc), cnonce, algorithm, realm);
    }

    private static String h(String alg, String text) {
        String jca = alg.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
