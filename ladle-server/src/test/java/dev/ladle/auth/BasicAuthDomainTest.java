package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Basic credentials: decoding, checking, challenging (RFC 7617). */
class BasicAuthDomainTest {

    private static final BasicAuthDomain DOMAIN = new BasicAuthDomain("my realm",
            (d, m, user, pw) -> user.equals("user") && pw.equals("pass:word") || user.equals("Jürgen") && pw.equals("ünïcødé"));

    static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static String accepts(AuthDomain d, String authorization) {
        return d.accepts(TestMessage.get("/").with("Authorization", authorization).msg);
    }

    @Test
    void rightCredentialsGiveTheUser() {
        assertThat(accepts(DOMAIN, basic("user:pass:word"))).isEqualTo("user");
    }

    @Test
    void passwordIsSplitAtTheFirstColon() {
        assertThat(BasicAuthDomain.decode(basic("a:b:c"))).isEqualTo(new BasicAuthDomain.UserPassword("a", "b:c"));
    }

    @Test
    void credentialsAreUtf8() {
        assertThat(accepts(DOMAIN, basic("Jürgen:ünïcødé"))).isEqualTo("Jürgen");
    }

    @Test
    void wrongPasswordIsRefused() {
        assertThat(accepts(DOMAIN, basic("user:nope"))).isNull();
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(accepts(DOMAIN, basic("user:pass:word").replace("Basic", "bAsIc"))).isEqualTo("user");
    }

    @Test
    void malformedCredentialsCountAsNone() {
        for (String bad : new String[] {
            "Basic", "Basic ", "Basic !!!!", "Basic dXNlcjpwYXNz=x", basic("no colon"),
            "Basic " + Base64.getEncoder().encodeToString(new byte[] {'u', ':', (byte) 0xC3}),
            basic("us\u0001er:pw"), "Digest " + basic("user:pass:word").substring(6), "Basicx dXNlcjpw",
        }) {
            assertThat(BasicAuthDomain.decode(bad)).as(bad).isNull();
            assertThat(accepts(DOMAIN, bad)).as(bad).isNull();
        }
    }

    @Test
    void secondAuthorizationFieldIsTriedWhenTheFirstIsForAnotherScheme() {
        var m = TestMessage.get("/").with("Authorization", "Bearer abc").with("Authorization", basic("user:pass:word"));
        assertThat(DOMAIN.accepts(m.msg)).isEqualTo("user");
    }

    @Test
    void challengeSets401WithRealmAndUtf8Charset() {
        var m = TestMessage.get("/");
        DOMAIN.challenge(m.msg);
        assertThat(m.status).isEqualTo(401);
        assertThat(m.responseHeaders.getAll("WWW-Authenticate")).containsExactly("Basic realm=\"my realm\", charset=\"UTF-8\"");
    }

    @Test
    void realmIsQuotedAndSentAsUtf8() {
        var m = TestMessage.get("/");
        new BasicAuthDomain("a \"q\" é", null).challenge(m.msg);
        String expected = new String("Basic realm=\"a \\\"q\\\" é\", charset=\"UTF-8\"".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        assertThat(m.responseHeaders.getOne("WWW-Authenticate")).isEqualTo(expected);
    }

    @Test
    void proxyDomainReadsProxyAuthorizationAndChallengesWith407() {
        BasicAuthDomain proxy = new BasicAuthDomain("p", true, (d, m, u, pw) -> pw.equals("pw"));
        assertThat(proxy.accepts(TestMessage.get("/").with("Authorization", basic("u:pw")).msg)).isNull();
        assertThat(proxy.accepts(TestMessage.get("/").with("Proxy-Authorization", basic("u:pw")).msg)).isEqualTo("u");
        var m = TestMessage.get("/");
        proxy.challenge(m.msg);
        assertThat(m.status).isEqualTo(407);
        assertThat(m.responseHeaders.getOne("Proxy-Authenticate")).startsWith("Basic realm=\"p\"");
        assertThat(m.responseHeaders.contains("WWW-Authenticate")).isFalse();
    }

    @Test
    void genericCallbackSuppliesThePasswordWhenThereIsNoBasicCallback() {
        BasicAuthDomain d = new BasicAuthDomain("r", null);
        AtomicReference<String> asked = new AtomicReference<>();
        d.setGenericAuthCallback((domain, m, user) -> {
            asked.set(user);
            return user.equals("alice") ? "secret" : null;
        });
        assertThat(accepts(d, basic("alice:secret"))).isEqualTo("alice");
        assertThat(asked).hasValue("alice");
        assertThat(accepts(d, basic("alice:wrong"))).isNull();
        assertThat(accepts(d, basic("bob:secret"))).isNull();
    }

    @Test
    void domainWithoutAnyCallbackAcceptsNobody() {
        assertThat(accepts(new BasicAuthDomain("r", null), basic("a:b"))).isNull();
    }

    @Test
    void checkPasswordComparesAgainstTheRequestCredentials() {
        BasicAuthDomain d = new BasicAuthDomain("r", null);
        var m = TestMessage.get("/").with("Authorization", basic("alice:secret"));
        assertThat(d.checkPassword(m.msg, "alice", "secret")).isTrue();
        assertThat(d.checkPassword(m.msg, "alice", "secreT")).isFalse();
        assertThat(d.checkPassword(m.msg, "alicE", "secret")).isFalse();
    }

    @Test
    void decodedCredentialsNeverPrintThePassword() {
        assertThat(BasicAuthDomain.decode(basic("user:hunter2")).toString()).doesNotContain("hunter2");
    }
}
