package dev.ladle.server.internal;

import dev.ladle.http.Status;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of a request target (RFC 9112 section 3.2) that handlers see: the path used for matching
 * (dot segments removed, percent-decoded unless raw paths are on) and the raw query.
 *
 * @param scheme the scheme of an absolute-form target, lower case, or null
 * @param authority the authority of an absolute-form or authority-form target, or null
 * @param rawPath the path as sent, dot segments removed ({@code *} for the asterisk form)
 * @param path the path handlers see
 * @param query the raw query after {@code ?}, or null when there is no {@code ?}
 */
record RequestTarget(String scheme, String authority, String rawPath, String path, String query) {

    /**
     * Splits and checks {@code target}.
     *
     * @throws HttpException 400 for a malformed target, a bad percent-escape, an encoded NUL or a decoded
     *     path that introduces a {@code ..} segment
     */
    static RequestTarget parse(String method, String target, boolean rawPaths) throws HttpException {
        char first = target.charAt(0);
        if (first == '/') {
            return originForm(null, null, target, rawPaths);
        }
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new HttpException(Status.BAD_REQUEST, "the * target is only allowed with OPTIONS");
            }
            return new RequestTarget(null, null, "*", "*", null);
        }
        if (method.equals("CONNECT")) {
            return authorityForm(target);
        }
        int colon = target.indexOf("://");
        if (colon <= 0) {
            throw new HttpException(Status.BAD_REQUEST, "request target is neither a path nor an absolute URI");
        }
        String scheme = target.substring(0, colon).toLowerCase(Locale.ROOT);
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'))) {
                throw new HttpException(Status.BAD_REQUEST, "invalid URI scheme in request target");
            }
        }
        int authorityStart = colon + 3;
        int pathStart = authorityStart;
        while (pathStart < target.length() && "/?#".indexOf(target.charAt(pathStart)) < 0) {
            pathStart++;
        }
        String authority = target.substring(authorityStart, pathStart);
        if (authority.isEmpty() || authority.indexOf('@') >= 0 || !Hosts.isValidAuthority(authority)) {
            throw new HttpException(Status.BAD_REQUEST, "invalid authority in request target");
        }
        String rest = pathStart == target.length() ? "/" : target.substring(pathStart);
        if (rest.charAt(0) == '?') {
            rest = "/" + rest;
        }
        return originForm(scheme, authority, rest, rawPaths);
    }

    private static RequestTarget authorityForm(String target) throws HttpException {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1 || !Hosts.isValidAuthority(target)
                || target.indexOf('/') >= 0 || target.indexOf('@') >= 0) {
            throw new HttpException(Status.BAD_REQUEST, "CONNECT needs a host:port target");
        }
        return new RequestTarget(null, target, "/", "/", null);
    }

    private static RequestTarget originForm(String scheme, String authority, String target, boolean rawPaths)
            throws HttpException {
        if (target.indexOf('#') >= 0) {
            throw new HttpException(Status.BAD_REQUEST, "fragment in request target");
        }
        int q = target.indexOf('?');
        String raw = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        if (query != null) {
            checkEscapes(query);
        }
        String normalized = removeDotSegments(raw);
        String path;
        if (rawPaths) {
            checkEscapes(normalized);
            path = normalized;
        } else if (normalized.indexOf('%') < 0) {
            path = normalized;
        } else {
            path = percentDecode(normalized);
            if (path.indexOf('\0') >= 0) {
                throw new HttpException(Status.BAD_REQUEST, "encoded NUL in request path");
            }
            if (!removeDotSegments(path).equals(path)) {
                throw new HttpException(Status.BAD_REQUEST, "percent-encoded dot segment in request path");
            }
        }
        return new RequestTarget(scheme, authority, normalized, path, query);
    }

    /** RFC 3986 section 5.2.4, fast when there is nothing to remove. */
    static String removeDotSegments(String path) {
        if (!hasDotSegment(path)) {
            return path;
        }
        String[] segments = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        boolean trailingSlash = false;
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            trailingSlash = false;
            if (s.equals(".")) {
                trailingSlash = true;
            } else if (s.equals("..")) {
                out.pollLast();
                trailingSlash = true;
            } else {
                out.addLast(s);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String s : out) {
            sb.append('/').append(s);
        }
        if (trailingSlash || sb.isEmpty()) {
            sb.append('/');
        }
        return sb.toString();
    }

    private static boolean hasDotSegment(String path) {
        int n = path.length();
        for (int i = 0; i < n; i++) {
            if (path.charAt(i) == '.' && (i == 0 || path.charAt(i - 1) == '/')) {
                int j = i + 1;
                if (j < n && path.charAt(j) == '.') {
                    j++;
                }
                if (j == n || path.charAt(j) == '/') {
                    return true;
                }
            }
        }
        return false;
    }

    private static void checkEscapes(String s) throws HttpException {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                throw new HttpException(Status.BAD_REQUEST, "malformed percent-escape in request target", false);
            }
        }
    }

    /** Decodes percent-escapes as UTF-8; malformed escapes or invalid UTF-8 are 400. */
    static String percentDecode(String s) throws HttpException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new HttpException(Status.BAD_REQUEST, "malformed percent-escape in request target", false);
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new HttpException(Status.BAD_REQUEST, "malformed percent-escape in request target", false);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new HttpException(Status.BAD_REQUEST, "request path is not valid UTF-8", false);
        }
    }
}
