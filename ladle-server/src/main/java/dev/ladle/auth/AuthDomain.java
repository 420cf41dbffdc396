package dev.ladle.auth;

import dev.ladle.http.Status;
import dev.ladle.server.ServerMessage;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A protection space: decides which requests need credentials, checks them, and challenges clients
 * that lack them (libsoup's {@code SoupAuthDomain}). Added to a server with
 * {@code Server.addAuthDomain}; the server consults its domains right after reading a request's
 * headers, before early handlers and before any {@code 100 Continue}, so an unauthenticated upload is
 * refused without its body being read.
 *
 * <p>What a domain covers: for a server domain, the paths given to {@link #addPath} minus those given
 * to {@link #removePath}, matched on segment boundaries like handler paths; for a proxy domain, every
 * request (paths are ignored, as in libsoup). In both cases the {@linkplain #setFilter filter} has the
 * last word.
 *
 * <p>A proxy domain reads {@code Proxy-Authorization} and challenges with {@code Proxy-Authenticate}
 * and {@code 407}; a server domain reads {@code Authorization} and challenges with
 * {@code WWW-Authenticate} and {@code 401}.
 *
 * <p>Thread-safe: the server calls {@link #covers}, {@link #accepts} and {@link #challenge} from many
 * connections at once, and the configuration may change while it runs.
 *
 * <p>Subclasses implement one authentication scheme, usually through the protected hooks
 * ({@link #accepts(ServerMessage, String)} for each credentials field, {@link #challenges},
 * {@link #checkPassword}); a scheme that needs more control may override the public methods instead.
 */
public abstract class AuthDomain {
    private final String realm;
    private final boolean proxy;
    private final AuthPaths paths = new AuthPaths();
    private volatile Predicate<ServerMessage> filter;
    private volatile GenericAuthCallback genericAuthCallback;

    /**
     * Creates a domain.
     *
     * @param realm the realm shown to clients; sent as UTF-8
     * @param proxy true for a proxy domain (407, {@code Proxy-Authorization})
     * @throws IllegalArgumentException when the realm is null or holds a control character
     */
    protected AuthDomain(String realm, boolean proxy) {
        if (realm == null || AuthText.hasControl(realm)) {
            throw new IllegalArgumentException("realm must be non-null text without control characters");
        }
        this.realm = realm;
        this.proxy = proxy;
    }

    /**
     * Creates a domain that protects {@code paths}, as if each were given to {@link #addPath}.
     *
     * @param realm the realm shown to clients; sent as UTF-8
     * @param proxy true for a proxy domain (407, {@code Proxy-Authorization}), which ignores paths
     * @param paths the protected paths; each starts with {@code /} or is {@code *}
     * @throws IllegalArgumentException when the realm is null or holds a control character, or a path
     *     neither starts with {@code /} nor is {@code *}
     */
    protected AuthDomain(String realm, boolean proxy, String... paths) {
        this(realm, proxy);
        for (String path : Objects.requireNonNull(paths, "paths")) {
            this.paths.put(path, true);
        }
    }

    /** Returns the realm. */
    public String getRealm() {
        return realm;
    }

    /** Returns true for a proxy domain. */
    public boolean isProxy() {
        return proxy;
    }

    /**
     * Requires authentication for {@code path} and everything below it, on segment boundaries:
     * {@code /private} covers {@code /private} and {@code /private/x} but not {@code /privateer}. A
     * request is matched by its path both percent-decoded and as sent, and is covered when either is. Null,
     * empty and {@code /} cover every path; {@code *} covers the {@code OPTIONS *} request, which no other
     * path does. A later call for the same path replaces an earlier {@link #removePath}. Ignored by proxy
     * domains.
     *
     * @throws IllegalArgumentException when {@code path} neither starts with {@code /} nor is {@code *}
     */
    public void addPath(String path) {
        paths.put(path, true);
    }

    /**
     * Returns the paths given to {@link #addPath} (and to the constructors that take paths) and not
     * since given to {@link #removePath}, in the order first added; null and empty show as {@code /}.
     * Empty for a domain that covers no request, unless it is a {@linkplain #isProxy() proxy} domain,
     * which ignores paths. An unmodifiable snapshot.
     */
    public List<String> getPaths() {
        return paths.protectedPaths();
    }

    /**
     * Exempts {@code path} and everything below it from authentication, carving it out of a path given
     * to {@link #addPath}; the most specific path decides, so a deeper {@code addPath} protects again.
     * Ignored by proxy domains.
     *
     * @throws IllegalArgumentException when {@code path} neither starts with {@code /} nor is {@code *}
     */
    public void removePath(String path) {
        paths.put(path, false);
    }

    /**
     * Sets the filter that has the last word on coverage: for a request the paths (or proxy mode) cover,
     * the filter returns true when it needs authentication and false to let it through unauthenticated.
     * Null removes the filter. Called on the connection's thread for every covered request.
     */
    public void setFilter(Predicate<ServerMessage> filter) {
        this.filter = filter;
    }

    /**
     * Sets the callback used when the scheme-specific callback (of {@link BasicAuthDomain} or
     * {@link DigestAuthDomain}) is null: it looks up the user's cleartext password, which the domain then
     * verifies against the request with {@link #checkPassword}. Null removes it; a domain with neither
     * callback accepts nobody.
     */
    public void setGenericAuthCallback(GenericAuthCallback callback) {
        this.genericAuthCallback = callback;
    }

    /**
     * Returns true when {@code msg} falls under this domain and so needs credentials.
     *
     * @param msg a request whose headers have been read
     */
    public boolean covers(ServerMessage msg) {
        if (!proxy && !isProtectedPath(msg)) {
            return false;
        }
        Predicate<ServerMessage> f = filter;
        return f == null || f.test(msg);
    }

    /**
     * Checks the credentials of {@code msg} in its {@code Authorization} header (or
     * {@code Proxy-Authorization} for a proxy domain); returns the authenticated user name, or null when
     * there are none, they are malformed or they do not check out. Never throws for bad input. May add
     * response headers (Digest adds {@code Authentication-Info}).
     */
    public String accepts(ServerMessage msg) {
        for (String credentials : msg.getRequestHeaders().getAll(authorizationHeader())) {
            String user = accepts(msg, credentials);
            if (user != null) {
                return user;
            }
        }
        return null;
    }

    /**
     * Adds this domain's challenge (one {@code WWW-Authenticate} or {@code Proxy-Authenticate} field
     * per value of {@link #challenges}) to the response of {@code msg} and sets {@code 401}
     * ({@code 407} for a proxy domain).
     */
    public void challenge(ServerMessage msg) {
        String header = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
        for (String value : challenges(msg)) {
            msg.getResponseHeaders().append(header, value);
        }
        msg.setStatus(proxy ? Status.PROXY_AUTHENTICATION_REQUIRED : Status.UNAUTHORIZED);
    }

    /**
     * Checks one credentials field value (scheme and parameters, as sent); returns the user name, or
     * null when the value is for another scheme, malformed, or wrong. This implementation accepts
     * nobody.
     */
    protected String accepts(ServerMessage msg, String credentials) {
        return null;
    }

    /**
     * Returns the challenge field values for {@code msg}, most preferred first. A scheme must return at
     * least one (RFC 9110 section 11.6.1); this implementation returns none.
     */
    protected List<String> challenges(ServerMessage msg) {
        return List.of();
    }

    /**
     * Returns true when the credentials {@code msg} carries for this domain's scheme are those of
     * {@code user} with the cleartext {@code password}; implementations compare in constant time. Used
     * with the {@linkplain #setGenericAuthCallback generic callback}. This implementation returns false.
     */
    protected boolean checkPassword(ServerMessage msg, String user, String password) {
        return false;
    }

    /**
     * Asks the {@linkplain #setGenericAuthCallback generic callback} for {@code user}'s password;
     * returns null when there is no callback or no such user.
     */
    protected final String genericPassword(ServerMessage msg, String user) {
        GenericAuthCallback callback = genericAuthCallback;
        return callback == null ? null : callback.password(this, msg, user);
    }

    /** Returns the request header holding credentials: {@code Authorization} or {@code Proxy-Authorization}. */
    protected final String authorizationHeader() {
        return proxy ? "Proxy-Authorization" : "Authorization";
    }

    /** Returns the realm as it appears in header text: its UTF-8 bytes, one char per byte. */
    final String wireRealm() {
        return AuthText.toWire(realm);
    }

    /**
     * Matches both the decoded path (what handlers see by default) and the path as sent (what they see
     * with raw paths), and protects when either is protected: whichever way the server matches handlers,
     * escaping a character cannot take a request out of the domain.
     */
    private boolean isProtectedPath(ServerMessage msg) {
        if (msg.isOptionsPing()) {
            return paths.isProtected("*");
        }
        URI uri = Objects.requireNonNull(msg.getUri(), "request URI");
        return paths.isProtected(orSlash(uri.getPath())) || paths.isProtected(orSlash(uri.getRawPath()));
    }

    private static String orSlash(String path) {
        return path == null || path.isEmpty() ? "/" : path;
    }
}
