package dev.ladle.httpd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Digest client's answer (RFC 7616, MD5, {@code qop=auth}) to a challenge one server issued, so that
 * a test can send it to another: the JDK client has no Digest, and curl answers on the same connection.
 */
final class DigestAnswer {
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]*)\"");

    private DigestAnswer() {
    }

    /** Returns the {@code nonce} of the MD5 challenge among the {@code WWW-Authenticate} values. */
    static String nonce(List<String> challenges) {
        for (String challenge : challenges) {
            if (challenge.contains("algorithm=MD5")) {
                Matcher m = NONCE.matcher(challenge);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("no MD5 Digest challenge in " + challenges);
    }

    /** The {@code Authorization} value for {@code GET uri} as {@code user}, answering {@code nonce} for the first time. */
    static String authorization(String user, String password, String realm, String nonce, String uri) {
        return authorization(user, password, realm, nonce, uri, 1);
    }

    /** The {@code Authorization} value using {@code nonce} for the {@code count}th time (each count once: no replay). */
    static String authorization(String user, String password, String realm, String nonce, String uri, int count) {
        String cnonce = "0a4f113b";
        String nc = String.format("%08x", count);
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5("GET:" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response + "\"";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
