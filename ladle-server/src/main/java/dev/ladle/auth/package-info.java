/**
 * Authentication domains: HTTP Basic (RFC 7617) and Digest (RFC 7616), for servers and proxies.
 *
 * <p>A domain decides which requests need credentials ({@link dev.ladle.auth.AuthDomain#addPath},
 * filters, or every request for a proxy domain), checks them, and challenges clients that lack them.
 * The server consults its domains right after a request's headers are read:
 *
 * <pre>{@code
 * DigestAuthDomain digest = new DigestAuthDomain("files", (domain, msg, user) -> storedHashes.get(user));
 * digest.addPath("/private");
 * digest.removePath("/private/shared");
 * server.addAuthDomain(digest);
 * // in a handler under /private: msg.getAuthUser() is the user the domain accepted
 * }</pre>
 *
 * where {@code storedHashes} holds {@link dev.ladle.auth.DigestAuthDomain#encodePassword(String, String,
 * String)} for each user, so no cleartext password is kept.
 */
package dev.ladle.auth;
