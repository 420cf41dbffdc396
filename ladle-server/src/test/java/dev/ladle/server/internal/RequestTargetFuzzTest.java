package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the request target ({@link RequestTarget}) and the Host / authority syntax check
 * ({@link Hosts}). Seeds: the targets and Host values that curl, the JDK client and Chromium sent.
 *
 * <p>Invariants: only {@link HttpException} (400) escapes; an accepted target has a path that starts
 * with {@code /} (or is {@code *}) and holds no dot segment, before or after percent-decoding, and no
 * encoded NUL; an accepted authority has no delimiter that could change where a URI points and forms
 * a valid URI.
 */
class RequestTargetFuzzTest {

    /** {@code METHOD SP target}: the target as either protocol may deliver it (HTTP/2 allows spaces). */
    @FuzzTest
    void requestTarget(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int sp = text.indexOf(' ');
        String method = sp < 0 ? "GET" : text.substring(0, sp);
        String target = sp < 0 ? text : text.substring(sp + 1);
        if (target.isEmpty() || target.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return; // neither HTTP/1 nor HTTP/2 delivers such a target
        }
        for (boolean rawPaths : new boolean[] {false, true}) {
            RequestTarget parsed;
            try {
                parsed = RequestTarget.parse(method, target, rawPaths);
            } catch (HttpException e) {
                assertThat(e.status()).isEqualTo(400);
                continue;
            }
            checkAccepted(parsed, rawPaths);
        }
    }

    private static void checkAccepted(RequestTarget parsed, boolean rawPaths) {
        String raw = parsed.rawPath();
        assertThat(raw.equals("*") || raw.startsWith("/")).as("raw path %s", raw).isTrue();
        assertThat(RequestTarget.removeDotSegments(raw)).isEqualTo(raw);
        String path = parsed.path();
        assertThat(RequestTarget.removeDotSegments(path)).as("decoded path %s", path).isEqualTo(path);
        if (!rawPaths) {
            assertThat(path).doesNotContain("\0");
        }
        if (parsed.query() != null) {
            assertThat(parsed.query()).doesNotContain("#");
        }
        if (parsed.authority() != null) {
            checkAuthority(parsed.authority());
        }
    }

    /** The value of a Host header (HTTP/1) or {@code :authority} (HTTP/2). */
    @FuzzTest
    void hostHeader(byte[] input) {
        boolean valid = Hosts.isValidAuthority(input, 0, input.length);
        String text = new String(input, StandardCharsets.ISO_8859_1);
        assertThat(Hosts.isValidAuthority(text)).isEqualTo(valid);
        if (valid) {
            checkAuthority(text);
        }
    }

    private static void checkAuthority(String authority) {
        assertThat(authority).doesNotContain("/", "@", "?", "#", " ", "\\");
        try {
            URI uri = new URI("http://" + authority + "/");
            assertThat(uri.getRawPath()).isEqualTo("/");
        } catch (URISyntaxException e) {
            throw new AssertionError("accepted authority \"" + authority + "\" is not a valid URI authority", e);
        }
    }
}
