package dev.ladle.httpd;

import dev.ladle.auth.AuthDomain;
import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.auth.DigestAuthDomain;
import dev.ladle.server.Server;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --auth basic|digest} with {@code --user NAME:PASSWORD} and {@code --auth-path}: one auth
 * domain, realm {@value #REALM}, covering the given path prefix. Passwords live only in memory.
 */
final class AuthSetup {
    /** The realm clients are shown. */
    static final String REALM = "ladle-httpd";

    private AuthSetup() {
    }

    /**
     * Adds the auth domain to {@code server}.
     *
     * @param users {@code NAME:PASSWORD} pairs; the password is everything after the first colon
     * @param healthPath the {@code --health} path, exempt (a balancer's checks carry no credentials), or null
     * @param nonceKey the Digest nonce key shared by the instances behind one balancer, or null for a random one
     */
    static AuthDomain install(Server server, HttpdCommand.AuthScheme scheme, List<String> users, String path,
                              String healthPath, byte[] nonceKey) {
        Map<String, String> passwords = new HashMap<>();
        for (String user : users) {
            int colon = user.indexOf(':');
            passwords.put(user.substring(0, colon), user.substring(colon + 1));
        }
        AuthDomain domain = switch (scheme) {
            case BASIC -> new BasicAuthDomain(REALM,
                    (d, msg, user, password) -> matches(passwords.get(user), password));
            case DIGEST -> new DigestAuthDomain(REALM, (d, msg, user) -> {
                String password = passwords.get(user);
                return password == null ? null : DigestAuthDomain.encodePassword(user, REALM, password);
            });
        };
        if (nonceKey != null && domain instanceof DigestAuthDomain digest) {
            digest.setNonceSecret(nonceKey);
        }
        domain.addPath(path);
        if (healthPath != null) {
            domain.removePath(healthPath);
        }
        server.addAuthDomain(domain);
        return domain;
    }

    /** Compares in constant time, so response timing does not reveal how much of a password was right. */
    private static boolean matches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
