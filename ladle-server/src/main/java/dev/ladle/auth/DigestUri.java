package dev.ladle.auth;

import dev.ladle.server.ServerMessage;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether a Digest {@code uri} parameter names the request's target (RFC 7616 section 3.4:
 * "the server MUST assure that the resource designated by the uri parameter is the same as the
 * resource specified in the Request-Line"), so credentials computed for one resource cannot be used
 * on another.
 *
 * <p>Accepted forms: the origin form as sent ({@code /path?query}); the same after percent-decoding
 * (clients escape differently); and an absolute URI with the request's scheme, host, port, path and
 * query (proxies get absolute-form targets, and some clients echo them). For {@code OPTIONS *} only
 * {@code *}.
 */
final class DigestUri {
    private DigestUri() {
    }

    /** Returns true when {@code digestUri} names the target of {@code msg}. */
    static boolean matches(String digestUri, ServerMessage msg) {
        if (msg.isOptionsPing()) {
            return digestUri.equals("*");
        }
        URI request = msg.getUri();
        if (request == null || digestUri.equals("*")) {
            return false;
        }
        if (digestUri.equals(originForm(request))) {
            return true;
        }
        URI given;
        try {
            given = new URI(digestUri);
        } catch (URISyntaxException e) {
            return false;
        }
        // Clients resolve dot segments before sending (RFC 3986 section 5.2.4); the server does too.
        given = given.normalize();
        if (given.isAbsolute()) {
            return sameOrigin(given, request) && samePathAndQuery(given, request);
        }
        return given.getRawAuthority() == null && samePathAndQuery(given, request);
    }

    private static String originForm(URI uri) {
        String path = rawPathOrSlash(uri);
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static String rawPathOrSlash(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static boolean samePathAndQuery(URI given, URI request) {
        String givenPath = given.getPath() == null || given.getPath().isEmpty() ? "/" : given.getPath();
        String requestPath = request.getPath() == null || request.getPath().isEmpty() ? "/" : request.getPath();
        return givenPath.equals(requestPath) && Objects.equals(given.getQuery(), request.getQuery());
    }

    private static boolean sameOrigin(URI given, URI request) {
        return lower(given.getScheme()).equals(lower(request.getScheme()))
                && lower(given.getHost()).equals(lower(request.getHost()))
                && port(given) == port(request);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
