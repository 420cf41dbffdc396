package dev.ladle.auth;

import dev.ladle.server.ServerMessage;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * HTTP Digest authentication (RFC 7616; libsoup's {@code SoupAuthDomainDigest}, extended).
 *
 * <p>The challenge offers {@code qop="auth"} with each {@linkplain #setAlgorithms algorithm}, one
 * {@code WWW-Authenticate} field per algorithm, most preferred first: by default SHA-256, then MD5. The
 * client answers with the one it picks. {@code userhash} and {@code auth-int} are not offered.
 *
 * <p>Nonces are stateless (see {@link #setNonceSecret}): any server sharing the secret verifies them.
 * A request is accepted when its realm, algorithm and {@code uri} (the request target) match, the
 * digest checks out against the stored hash, its nonce is one of ours and younger than the
 * {@linkplain #setNonceLifetime lifetime}, and its nonce count is higher than any used before with that
 * nonce on this server. When only the nonce is at fault (expired, from a rotated secret, or its count
 * replayed), the new challenge says {@code stale=true}, so the client retries with a fresh nonce without
 * asking its user again. On success the response gets {@code Authentication-Info} (or
 * {@code Proxy-Authentication-Info}) with {@code rspauth}, proving the server knows the password too.
 *
 * <p>Nonce counts are tracked per server instance: behind a load balancer, a request replayed to another
 * instance within the nonce lifetime is not detected. Keep the lifetime short there.
 */
public class DigestAuthDomain extends AuthDomain {
    /** The default nonce lifetime. */
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger(DigestAuthDomain.class.getName());
    private static final String SCHEME = "Digest";
    /** How far ahead of ours a peer's clock may run: nonces issued up to this far in the future are fine. */
    private static final long CLOCK_SKEW_MILLIS = 60_000;
    private static final int MAX_TRACKED_NONCES = 10_000;

    /** Why a credentials value was refused, or that it was not. */
    private enum Verdict {
        ACCEPTED(null),
        ALGORITHM_NOT_OFFERED("algorithm not offered"),
        WRONG_REALM("wrong realm"),
        WRONG_URI("uri does not match the request target"),
        UNKNOWN_USER("unknown user"),
        WRONG_RESPONSE("wrong response digest"),
        STALE_NONCE("nonce expired or not issued with this secret"),
        REPLAYED("nonce count replayed");

        final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        boolean isStale() {
            return this == STALE_NONCE || this == REPLAYED;
        }
    }

    private final DigestAuthCallback callback;
    private final NonceCounter counts = new NonceCounter(MAX_TRACKED_NONCES);
    /** Messages whose credentials were right but whose nonce was stale, until they are challenged. */
    private final Map<ServerMessage, Boolean> staleMessages = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile NonceCodec nonces;
    private volatile List<DigestAlgorithm> algorithms = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    private volatile Duration nonceLifetime = DEFAULT_NONCE_LIFETIME;
    private volatile Clock clock = Clock.systemUTC();

    /**
     * Creates a server domain (401, {@code Authorization}) with a random nonce secret.
     *
     * @param realm the realm shown to clients
     * @param callback looks up stored hashes; null to use the {@linkplain #setGenericAuthCallback
     *     generic callback}
     */
    public DigestAuthDomain(String realm, DigestAuthCallback callback) {
        this(realm, false, callback);
    }

    /**
     * Creates a server domain (401, {@code Authorization}) that protects {@code paths} and everything
     * below them, as if each were given to {@link #addPath}:
     * {@code new DigestAuthDomain("admin", callback, "/admin", "/api")}. With no paths it protects nothing
     * until {@code addPath} is called (the server logs a warning for a domain without paths).
     *
     * @param realm the realm shown to clients
     * @param callback looks up stored hashes; null to use the {@linkplain #setGenericAuthCallback generic
     *     callback}
     * @param paths the protected paths; each starts with {@code /} or is {@code *}
     * @throws IllegalArgumentException when a path neither starts with {@code /} nor is {@code *}
     */
    public DigestAuthDomain(String realm, DigestAuthCallback callback, String... paths) {
        super(realm, false, paths);
        this.callback = callback;
        this.nonces = new NonceCodec(NonceCodec.randomSecret(), realm);
    }

    /**
     * Creates a server or proxy domain with a random nonce secret.
     *
     * @param realm the realm shown to clients
     * @param proxy true for a proxy domain (407, {@code Proxy-Authorization})
     * @param callback looks up stored hashes; null to use the {@linkplain #setGenericAuthCallback
     *     generic callback}
     */
    public DigestAuthDomain(String realm, boolean proxy, DigestAuthCallback callback) {
        super(realm, proxy);
        this.callback = callback;
        this.nonces = new NonceCodec(NonceCodec.randomSecret(), realm);
    }

    /**
     * Sets the secret that signs nonces. Give every server instance behind one load balancer the same
     * secret (and realm) so that each accepts the nonces of the others. Nonces signed with the previous
     * secret become stale: their clients get {@code stale=true} and retry transparently. By default each
     * domain has its own random secret.
     *
     * @param secret at least 16 random bytes; copied
     * @throws IllegalArgumentException when shorter
     */
    public void setNonceSecret(byte[] secret) {
        this.nonces = new NonceCodec(secret, getRealm());
    }

    /**
     * Sets how long a nonce may be used; older ones get a new challenge with {@code stale=true}. Default
     * {@link #DEFAULT_NONCE_LIFETIME}.
     *
     * @throws IllegalArgumentException when not positive
     */
    public void setNonceLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive");
        }
        this.nonceLifetime = lifetime;
    }

    /** Returns how long a nonce may be used. */
    public Duration getNonceLifetime() {
        return nonceLifetime;
    }

    /**
     * Sets the algorithms offered, most preferred first, one challenge each; responses using any other
     * algorithm are refused. Default: {@link DigestAlgorithm#SHA_256}, {@link DigestAlgorithm#MD5}.
     *
     * @throws IllegalArgumentException when none is given
     */
    public void setAlgorithms(DigestAlgorithm... algorithms) {
        if (algorithms == null || algorithms.length == 0) {
            throw new IllegalArgumentException("at least one algorithm is needed");
        }
        this.algorithms = List.copyOf(new LinkedHashSet<>(List.of(algorithms)));
    }

    /** Returns the algorithms offered, most preferred first. */
    public List<DigestAlgorithm> getAlgorithms() {
        return algorithms;
    }

    /**
     * Returns what a password database should store for {@code user}: the hex
     * {@code H(user:realm:password)} for each hash function, MD5 then SHA-256, separated by a comma. Return
     * it from a {@link DigestAuthCallback} and clients may use any algorithm. (libsoup returns the MD5 hex
     * alone; {@link #encodePassword(DigestAlgorithm, String, String, String)} gives that.)
     *
     * @param user the user name
     * @param realm the domain's realm
     * @param password the password
     */
    public static String encodePassword(String user, String realm, String password) {
        return encodePassword(DigestAlgorithm.MD5, user, realm, password) + ","
                + encodePassword(DigestAlgorithm.SHA_256, user, realm, password);
    }

    /**
     * Returns the hex {@code H(user:realm:password)} of one hash function (the {@code -sess} variants use
     * the same stored hash as their base algorithm), with all three strings as UTF-8.
     */
    public static String encodePassword(DigestAlgorithm algorithm, String user, String realm, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(password, "password");
        return algorithm.userRealmPassword(user, realm, password);
    }

    /** Uses {@code clock} for issuing and expiring nonces (tests). */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    /** {@inheritDoc} */
    @Override
    protected String accepts(ServerMessage msg, String credentials) {
        DigestCredentials c = DigestCredentials.parse(credentials);
        if (c == null) {
            return null;
        }
        Verdict verdict = precheck(msg, c);
        String stored = null;
        if (verdict == Verdict.ACCEPTED) {
            stored = storedHash(msg, c);
            verdict = verify(msg, c, stored);
        }
        if (verdict != Verdict.ACCEPTED) {
            LOG.log(Level.DEBUG, "Digest credentials refused in realm \"{0}\": {1}", getRealm(), verdict.reason);
            if (verdict.isStale()) {
                staleMessages.put(msg, Boolean.TRUE);
            }
            return null;
        }
        staleMessages.remove(msg);
        addAuthenticationInfo(msg, c, stored);
        return c.username();
    }

    /** {@inheritDoc} */
    @Override
    protected List<String> challenges(ServerMessage msg) {
        boolean stale = staleMessages.remove(msg) != null;
        String nonce = nonces.issue(clock.millis());
        String realm = AuthText.quote(wireRealm());
        List<String> out = new ArrayList<>(algorithms.size());
        for (DigestAlgorithm algorithm : algorithms) {
            out.add(SCHEME + " realm=" + realm + ", qop=\"auth\", algorithm=" + algorithm.token()
                    + ", nonce=\"" + nonce + "\", charset=UTF-8" + (stale ? ", stale=true" : ""));
        }
        return out;
    }

    /**
     * {@inheritDoc} The whole check runs, nonce count included: a request checked this way cannot be
     * checked again.
     */
    @Override
    protected boolean checkPassword(ServerMessage msg, String user, String password) {
        for (String credentials : msg.getRequestHeaders().getAll(authorizationHeader())) {
            DigestCredentials c = DigestCredentials.parse(credentials);
            if (c != null && c.username().equals(user) && precheck(msg, c) == Verdict.ACCEPTED
                    && verify(msg, c, c.algorithm().userRealmPassword(user, getRealm(), password)) == Verdict.ACCEPTED) {
                return true;
            }
        }
        return false;
    }

    /** Returns the stored hash for the client's user and algorithm, or null. */
    private String storedHash(ServerMessage msg, DigestCredentials c) {
        if (callback != null) {
            return pickHash(callback.storedHash(this, msg, c.username()), c.algorithm());
        }
        String password = genericPassword(msg, c.username());
        return password == null ? null : c.algorithm().userRealmPassword(c.username(), getRealm(), password);
    }

    /** Picks, from a stored value of comma-separated hex hashes, the one of {@code algorithm}'s length. */
    static String pickHash(String stored, DigestAlgorithm algorithm) {
        if (stored == null) {
            return null;
        }
        for (String part : stored.split(",")) {
            String hex = part.strip();
            if (algorithm.isHash(hex)) {
                return DigestAlgorithm.lower(hex);
            }
        }
        return null;
    }

    /** The checks that need no stored hash, made first so that bad requests cost no password lookup. */
    private Verdict precheck(ServerMessage msg, DigestCredentials c) {
        if (!algorithms.contains(c.algorithm())) {
            return Verdict.ALGORITHM_NOT_OFFERED;
        }
        if (!c.realm().equals(wireRealm())) {
            return Verdict.WRONG_REALM;
        }
        if (!DigestUri.matches(c.uri(), msg)) {
            return Verdict.WRONG_URI;
        }
        return Verdict.ACCEPTED;
    }

    /** Checks the response digest against {@code storedHash}, then the nonce's age and count. */
    private Verdict verify(ServerMessage msg, DigestCredentials c, String storedHash) {
        if (storedHash == null) {
            return Verdict.UNKNOWN_USER;
        }
        DigestAlgorithm alg = c.algorithm();
        String a1 = alg.a1(storedHash, c.nonce(), c.cnonce());
        String expected = alg.response(a1, c.nonce(), c.nc(), c.cnonce(), msg.getMethod(), c.uri());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                c.response().getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.WRONG_RESPONSE;
        }
        // Only now, with the password proven, do nonce problems matter: they earn stale=true.
        long issuedAt = nonces.verify(c.nonce());
        long now = clock.millis();
        long lifetime = nonceLifetime.toMillis();
        if (issuedAt == Long.MIN_VALUE || now - issuedAt > lifetime || issuedAt - now > CLOCK_SKEW_MILLIS) {
            return Verdict.STALE_NONCE;
        }
        if (!counts.advance(c.nonce(), issuedAt, c.count(), now - lifetime)) {
            return Verdict.REPLAYED;
        }
        return Verdict.ACCEPTED;
    }

    /** Adds {@code rspauth} (RFC 7616 section 3.5): the digest with an empty method, over the same A1. */
    private void addAuthenticationInfo(ServerMessage msg, DigestCredentials c, String storedHash) {
        DigestAlgorithm alg = c.algorithm();
        String a1 = alg.a1(storedHash, c.nonce(), c.cnonce());
        String rspauth = alg.response(a1, c.nonce(), c.nc(), c.cnonce(), "", c.uri());
        String header = isProxy() ? "Proxy-Authentication-Info" : "Authentication-Info";
        msg.getResponseHeaders().replace(header, "rspauth=\"" + rspauth + "\", qop=auth, nc=" + c.nc()
                + ", cnonce=" + AuthText.quote(c.cnonce()));
    }
}
