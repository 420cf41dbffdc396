package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The digest computations, against the examples of RFC 7616 section 3.9.1. */
class DigestAlgorithmTest {
    static final String USER = "Mufasa";
    static final String REALM = "http-auth@example.org";
    static final String PASSWORD = "Circle of Life";
    static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    static final String URI = "/dir/index.html";

    @Test
    void md5ResponseMatchesRfc7616Example() {
        DigestAlgorithm md5 = DigestAlgorithm.MD5;
        String stored = md5.userRealmPassword(USER, REALM, PASSWORD);
        String response = md5.response(md5.a1(stored, NONCE, CNONCE), NONCE, "00000001", CNONCE, "GET", URI);
        assertThat(response).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
    }

    @Test
    void sha256ResponseMatchesRfc7616Example() {
        DigestAlgorithm sha = DigestAlgorithm.SHA_256;
        String stored = sha.userRealmPassword(USER, REALM, PASSWORD);
        String response = sha.response(sha.a1(stored, NONCE, CNONCE), NONCE, "00000001", CNONCE, "GET", URI);
        assertThat(response).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void sessionVariantHashesTheStoredHashWithBothNonces() throws Exception {
        DigestAlgorithm sess = DigestAlgorithm.SHA_256_SESS;
        String stored = sess.userRealmPassword(USER, REALM, PASSWORD);
        String expectedA1 = hex(MessageDigest.getInstance("SHA-256").digest(
                (stored + ":" + NONCE + ":" + CNONCE).getBytes(StandardCharsets.US_ASCII)));
        assertThat(sess.a1(stored, NONCE, CNONCE)).isEqualTo(expectedA1);
        assertThat(DigestAlgorithm.SHA_256.a1(stored, NONCE, CNONCE)).isEqualTo(stored);
    }

    @Test
    void encodePasswordHoldsMd5ThenSha256() throws Exception {
        String md5 = hex(MessageDigest.getInstance("MD5").digest(
                (USER + ":" + REALM + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        String sha = hex(MessageDigest.getInstance("SHA-256").digest(
                (USER + ":" + REALM + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(DigestAuthDomain.encodePassword(USER, REALM, PASSWORD)).isEqualTo(md5 + "," + sha);
        assertThat(DigestAuthDomain.encodePassword(DigestAlgorithm.MD5, USER, REALM, PASSWORD)).isEqualTo(md5);
        assertThat(DigestAuthDomain.encodePassword(DigestAlgorithm.SHA_256_SESS, USER, REALM, PASSWORD)).isEqualTo(sha);
    }

    @Test
    void storedHashIsPickedByLengthAndLowerCased() {
        String both = "ABCDEF0123456789abcdef0123456789, " + "0".repeat(64);
        assertThat(DigestAuthDomain.pickHash(both, DigestAlgorithm.MD5)).isEqualTo("abcdef0123456789abcdef0123456789");
        assertThat(DigestAuthDomain.pickHash(both, DigestAlgorithm.SHA_256_SESS)).isEqualTo("0".repeat(64));
        assertThat(DigestAuthDomain.pickHash("0".repeat(32), DigestAlgorithm.SHA_256)).isNull();
        assertThat(DigestAuthDomain.pickHash("z".repeat(32), DigestAlgorithm.MD5)).isNull();
        assertThat(DigestAuthDomain.pickHash(null, DigestAlgorithm.MD5)).isNull();
    }

    @Test
    void algorithmTokensAreCaseInsensitiveAndDefaultToMd5() {
        assertThat(DigestAlgorithm.fromToken("sha-256-SESS")).isEqualTo(DigestAlgorithm.SHA_256_SESS);
        assertThat(DigestAlgorithm.fromToken(null)).isEqualTo(DigestAlgorithm.MD5);
        assertThat(DigestAlgorithm.fromToken("SHA-512-256")).isNull();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
