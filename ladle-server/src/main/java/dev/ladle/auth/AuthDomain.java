package dev.ladle.auth;

import dev.ladle.server.ServerMessage;

/**
 * A protection space: decides which requests need credentials, checks them, and challenges clients
 * that lack them (libsoup's {@code SoupAuthDomain}). Added to a server with
 * {@code Server.addAuthDomain}; the server consults its domains right after reading a request's
 * headers, before early handlers and before any {@code 100 Continue}.
 */
public abstract class AuthDomain {
    private final String realm;
    private final boolean proxy;

    /**
     * Creates a domain.
     *
     * @param realm the realm shown to clients
     * @param proxy true for a proxy domain (407, {@code Proxy-Authorization})
     */
    protected AuthDomain(String realm, boolean proxy) {
        this.realm = realm;
        this.proxy = proxy;
    }

    /** Returns the realm. */
    public String getRealm() {
        return realm;
    }

    /** Returns true for a proxy domain. */
    public boolean isProxy() {
        return proxy;
    }

    /** Returns true when {@code msg} falls under this domain and so needs credentials. */
    public abstract boolean covers(ServerMessage msg);

    /** Checks the credentials of {@code msg}; returns the authenticated user name, or null. */
    public abstract String accepts(ServerMessage msg);

    /** Adds this domain's challenge header to the response of {@code msg} and sets 401 (or 407). */
    public abstract void challenge(ServerMessage msg);
}
