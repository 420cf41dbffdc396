package dev.ladle.auth;

import dev.ladle.server.ServerMessage;

/**
 * Looks up the stored Digest hash of a user (libsoup's {@code SoupAuthDomainDigestAuthCallback}), so the
 * server never needs the cleartext password. Called on the connection's thread; may block.
 */
@FunctionalInterface
public interface DigestAuthCallback {

    /**
     * Returns the stored {@code H(user:realm:password)} of {@code user} in hex, or null when there is no
     * such user or it may not log in here. Store what {@link DigestAuthDomain#encodePassword(String,
     * String, String)} returns: it holds the hash for every algorithm, so the client may pick any. A
     * single hash (say an MD5 hex from an {@code htdigest} file, or one made with
     * {@link DigestAuthDomain#encodePassword(DigestAlgorithm, String, String, String)}) works too, but
     * only for clients that choose that algorithm; offer just that one with
     * {@link DigestAuthDomain#setAlgorithms}.
     *
     * @param domain the domain checking the request
     * @param msg the request (headers read, body not yet)
     * @param user the user name the client sent
     */
    String storedHash(DigestAuthDomain domain, ServerMessage msg, String user);
}
