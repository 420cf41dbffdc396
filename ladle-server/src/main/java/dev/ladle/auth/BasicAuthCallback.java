package dev.ladle.auth;

import dev.ladle.server.ServerMessage;

/**
 * Verifies Basic credentials (libsoup's {@code SoupAuthDomainBasicAuthCallback}). Compare secrets in
 * constant time ({@link java.security.MessageDigest#isEqual}, or better a password hash check) and never
 * log the password. Called on the connection's thread; may block.
 */
@FunctionalInterface
public interface BasicAuthCallback {

    /**
     * Returns true when {@code password} is right for {@code user}.
     *
     * @param domain the domain checking the request
     * @param msg the request (headers read, body not yet)
     * @param user the user-id, decoded from UTF-8 (never null, may be empty)
     * @param password the password, decoded from UTF-8 (never null, may be empty)
     */
    boolean check(BasicAuthDomain domain, ServerMessage msg, String user, String password);
}
