package dev.ladle.auth;

import dev.ladle.server.ServerMessage;
import java.util.Base64;
import java.util.List;

/**
 * HTTP Basic authentication (RFC 7617; libsoup's {@code SoupAuthDomainBasic}). The challenge is
 * {@code Basic realm="…", charset="UTF-8"}, and credentials are decoded as UTF-8.
 *
 * <p>Credentials that are not {@code base64(user-id ":" password)}, are not valid UTF-8 or contain
 * control characters count as no credentials: the client gets the usual challenge, never an error
 * status. The scheme name is matched case-insensitively (RFC 9110 section 11.1; libsoup insists on
 * {@code Basic}). The password is split at the first colon, so it may contain colons.
 *
 * <p>Basic sends the password in the clear: use it over TLS.
 */
public class BasicAuthDomain extends AuthDomain {
    private static final String SCHEME = "Basic";

    private final BasicAuthCallback callback;

    /**
     * Creates a server domain (401, {@code Authorization}).
     *
     * @param realm the realm shown to clients
     * @param callback checks passwords; null to use the {@linkplain #setGenericAuthCallback generic
     *     callback}
     */
    public BasicAuthDomain(String realm, BasicAuthCallback callback) {
        this(realm, false, callback);
    }

    /**
     * Creates a server domain (401, {@code Authorization}) that protects {@code paths} and everything
     * below them, as if each were given to {@link #addPath}:
     * {@code new BasicAuthDomain("admin", callback, "/admin", "/api")}. With no paths it protects nothing
     * until {@code addPath} is called (the server logs a warning for a domain without paths).
     *
     * @param realm the realm shown to clients
     * @param callback checks passwords; null to use the {@linkplain #setGenericAuthCallback generic
     *     callback}
     * @param paths the protected paths; each starts with {@code /} or is {@code *}
     * @throws IllegalArgumentException when a path neither starts with {@code /} nor is {@code *}
     */
    public BasicAuthDomain(String realm, BasicAuthCallback callback, String... paths) {
        super(realm, false, paths);
        this.callback = callback;
    }

    /**
     * Creates a server or proxy domain.
     *
     * @param realm the realm shown to clients
     * @param proxy true for a proxy domain (407, {@code Proxy-Authorization})
     * @param callback checks passwords; null to use the {@linkplain #setGenericAuthCallback generic
     *     callback}
     */
    public BasicAuthDomain(String realm, boolean proxy, BasicAuthCallback callback) {
        super(realm, proxy);
        this.callback = callback;
    }

    /** {@inheritDoc} */
    @Override
    protected String accepts(ServerMessage msg, String credentials) {
        UserPassword up = decode(credentials);
        if (up == null) {
            return null;
        }
        boolean ok;
        if (callback != null) {
            ok = callback.check(this, msg, up.user(), up.password());
        } else {
            String password = genericPassword(msg, up.user());
            ok = password != null && AuthText.secretsEqual(password, up.password());
        }
        return ok ? up.user() : null;
    }

    /** {@inheritDoc} */
    @Override
    protected List<String> challenges(ServerMessage msg) {
        return List.of(SCHEME + " realm=" + AuthText.quote(wireRealm()) + ", charset=\"UTF-8\"");
    }

    /** {@inheritDoc} */
    @Override
    protected boolean checkPassword(ServerMessage msg, String user, String password) {
        for (String credentials : msg.getRequestHeaders().getAll(authorizationHeader())) {
            UserPassword up = decode(credentials);
            // Evaluate both comparisons so the time taken does not tell which one failed.
            if (up != null && AuthText.secretsEqual(user, up.user()) & AuthText.secretsEqual(password, up.password())) {
                return true;
            }
        }
        return false;
    }

    /** A decoded user-id and password. */
    record UserPassword(String user, String password) {
        @Override
        public String toString() {
            return "UserPassword[(hidden)]";
        }
    }

    /**
     * Decodes a Basic credentials field value; returns null when it is for another scheme or malformed
     * (bad base64, not UTF-8, no colon, control characters).
     */
    static UserPassword decode(String credentials) {
        AuthCredentials parsed = AuthCredentials.parse(credentials);
        if (parsed == null || !parsed.isScheme(SCHEME) || parsed.rest().isEmpty()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(parsed.rest());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = AuthText.decodeUtf8(bytes);
        if (text == null || AuthText.hasControl(text)) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new UserPassword(text.substring(0, colon), text.substring(colon + 1));
    }
}
