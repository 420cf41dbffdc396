package dev.ladle.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless Digest nonces: {@code base64url(time ‖ random ‖ HMAC-SHA256(secret, time ‖ random ‖
 * realm)[0..16])}. Any server holding the same secret verifies a nonce without remembering it, so the
 * instances behind a load balancer accept each other's nonces; the issue time inside lets each of them
 * expire it. The random part makes nonces issued in the same millisecond distinct, so their nonce
 * counts are tracked apart. The realm inside the MAC keeps a nonce from one realm out of another.
 *
 * <p>Immutable and thread-safe.
 */
final class NonceCodec {
    /** The shortest secret accepted: 128 bits. */
    static final int MIN_SECRET_BYTES = 16;

    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final int TIME_BYTES = Long.BYTES;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] realm;

    /**
     * Creates a codec.
     *
     * @param secret the shared secret, at least {@link #MIN_SECRET_BYTES} bytes; copied
     * @param realm the realm the nonces are for
     */
    NonceCodec(byte[] secret, String realm) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("nonce secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), MAC_ALGORITHM);
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns a fresh random secret of 32 bytes. */
    static byte[] randomSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** Returns a new nonce stamped with {@code issuedAtMillis}. */
    String issue(long issuedAtMillis) {
        ByteBuffer buf = ByteBuffer.allocate(NONCE_BYTES);
        buf.putLong(issuedAtMillis);
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        buf.put(random);
        buf.put(mac(buf.array(), TIME_BYTES + RANDOM_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    /**
     * Verifies a nonce in constant time.
     *
     * @return the time it was issued at, in epoch milliseconds, or {@link Long#MIN_VALUE} when this codec
     *     (its secret and realm) did not issue it
     */
    long verify(String nonce) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Long.MIN_VALUE;
        }
        if (bytes.length != NONCE_BYTES) {
            return Long.MIN_VALUE;
        }
        byte[] expected = mac(bytes, TIME_BYTES + RANDOM_BYTES);
        byte[] actual = Arrays.copyOfRange(bytes, TIME_BYTES + RANDOM_BYTES, NONCE_BYTES);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Long.MIN_VALUE;
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            mac.update(data, 0, length);
            mac.update(realm);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + MAC_ALGORITHM, e);
        }
    }
}
