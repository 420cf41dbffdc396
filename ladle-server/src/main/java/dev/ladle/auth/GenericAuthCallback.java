package dev.ladle.auth;

import dev.ladle.server.ServerMessage;

/**
 * Looks up a user's cleartext password for any scheme (libsoup's generic auth callback). libsoup's
 * callback looks up the password and calls {@code check_password}; here the domain makes that second
 * step itself, with {@link AuthDomain#checkPassword}, so the callback only supplies the password.
 *
 * <p>Prefer the scheme-specific callbacks: a Digest domain given a {@link DigestAuthCallback} never
 * needs cleartext passwords. Called on the connection's thread; may block.
 */
@FunctionalInterface
public interface GenericAuthCallback {

    /**
     * Returns the password of {@code user}, or null when there is no such user or it may not log in here.
     *
     * @param domain the domain checking the request
     * @param msg the request (headers read, body not yet)
     * @param user the user name the client sent
     */
    String password(AuthDomain domain, ServerMessage msg, String user);
}
