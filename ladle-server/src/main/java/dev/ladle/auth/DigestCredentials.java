package dev.ladle.auth;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of a Digest {@code Authorization} (RFC 7616 section 3.4) that Ladle checks. Header
 * text fields ({@code realm}, {@code nonce}, {@code uri}, {@code cnonce}) are kept as sent, because the
 * hashes are computed over them; {@code username} is decoded from UTF-8.
 *
 * @param username the user name (from {@code username}, or {@code username*} per RFC 8187)
 * @param realm the realm as sent
 * @param nonce the server nonce as sent
 * @param uri the {@code uri} parameter as sent
 * @param response the request digest, lower-case hex
 * @param algorithm the algorithm (MD5 when the parameter is absent)
 * @param cnonce the client nonce
 * @param nc the nonce count: the 8 hex digits as sent
 * @param count the nonce count's value, at least 1
 */
record DigestCredentials(String username, String realm, String nonce, String uri, String response,
        DigestAlgorithm algorithm, String cnonce, String nc, long count) {

    private static final String SCHEME = "Digest";
    private static final int NC_DIGITS = 8;

    /**
     * Parses a credentials field value.
     *
     * @return the credentials, or null when the value is for another scheme, malformed, lacks a required
     *     parameter, uses an unknown algorithm, a qop other than {@code auth}, or {@code userhash=true}
     */
    static DigestCredentials parse(String value) {
        AuthCredentials creds = AuthCredentials.parse(value);
        if (creds == null || !creds.isScheme(SCHEME)) {
            return null;
        }
        Map<String, String> p = creds.params();
        if (p == null) {
            return null;
        }
        String username = username(p);
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        String cnonce = p.get("cnonce");
        String nc = p.get("nc");
        DigestAlgorithm algorithm = DigestAlgorithm.fromToken(p.get("algorithm"));
        if (username == null || realm == null || nonce == null || uri == null || uri.isEmpty() || response == null
                || cnonce == null || cnonce.isEmpty() || algorithm == null
                || !"auth".equalsIgnoreCase(p.get("qop")) || "true".equalsIgnoreCase(p.get("userhash"))
                || !algorithm.isHash(response)) {
            return null;
        }
        long count = parseCount(nc);
        if (count < 1) {
            return null;
        }
        return new DigestCredentials(username, realm, nonce, uri, DigestAlgorithm.lower(response), algorithm,
                cnonce, nc, count);
    }

    private static String username(Map<String, String> p) {
        String plain = p.get("username");
        String extended = p.get("username*");
        if ((plain == null) == (extended == null)) {
            return null; // RFC 7616 section 3.4: exactly one of the two
        }
        String name = plain != null ? decodePlain(plain) : decodeExtValue(extended);
        return name == null || AuthText.hasControl(name) ? null : name;
    }

    /** A quoted user name is UTF-8 (we announce charset=UTF-8); older clients send ISO-8859-1. */
    private static String decodePlain(String headerText) {
        String utf8 = AuthText.fromWire(headerText);
        return utf8 != null ? utf8 : headerText;
    }

    /** Decodes an RFC 8187 {@code ext-value}: {@code UTF-8'[language]'percent-encoded}. */
    static String decodeExtValue(String ext) {
        int q1 = ext.indexOf('\'');
        int q2 = q1 < 0 ? -1 : ext.indexOf('\'', q1 + 1);
        if (q2 < 0 || !ext.substring(0, q1).equalsIgnoreCase("UTF-8")) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String encoded = ext.substring(q2 + 1);
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || encoded.charAt(i + 1) > 0x7F || encoded.charAt(i + 2) > 0x7F) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7F) {
                out.write(c);
            } else {
                return null;
            }
        }
        return AuthText.decodeUtf8(out.toByteArray());
    }

    /** Parses exactly eight hex digits; returns -1 when {@code nc} is anything else. */
    private static long parseCount(String nc) {
        if (nc == null || nc.length() != NC_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < NC_DIGITS; i++) {
            char c = nc.charAt(i);
            int d = c < 0x80 ? Character.digit(c, 16) : -1;
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    @Override
    public String toString() {
        return "DigestCredentials[algorithm=" + algorithm.token() + ", nc=" + nc.toLowerCase(Locale.ROOT) + "]";
    }
}
