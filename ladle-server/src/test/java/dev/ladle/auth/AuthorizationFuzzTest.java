package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Fuzzes the {@code Authorization} parsers: Basic ({@link BasicAuthDomain#decode}) and Digest
 * ({@link DigestCredentials#parse}), each also through its domain's {@code accepts}, the way the
 * server's auth step calls it. Seeds: the values curl sent for {@code -u} and {@code --digest}.
 *
 * <p>Invariants: nothing throws (bad credentials are refused, never an exception); Basic decodes to
 * what the client encoded (a user-id without a colon or control characters); Digest accepts only the
 * user the credentials name, and a Digest value whose nonce and response are made right is accepted
 * once and refused when replayed.
 */
class AuthorizationFuzzTest {
    private static final String REALM = "fuzz realm";
    private static final String PASSWORD = "secret";
    private static final String TARGET = "/digest/page?a=b";

    /**
     * A request carrying {@code authorization}; null for a value no request can carry (a control
     * character: the head parsers refuse it before any auth domain sees it).
     */
    private static TestMessage request(String target, String authorization) {
        try {
            return TestMessage.get(target).with("Authorization", authorization);
        } catch (IllegalArgumentException notAFieldValue) {
            return null;
        }
    }

    @FuzzTest
    void basic(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        BasicAuthDomain.UserPassword up = BasicAuthDomain.decode(value);
        if (up != null) {
            assertThat(up.user()).doesNotContain(":");
            assertThat(AuthText.hasControl(up.user() + up.password())).isFalse();
            // what a client sends for the same user and password decodes the same
            String again = "Basic " + Base64.getEncoder().encodeToString(
                    (up.user() + ":" + up.password()).getBytes(StandardCharsets.UTF_8));
            assertThat(BasicAuthDomain.decode(again)).isEqualTo(up);
        }
        BasicAuthDomain domain = new BasicAuthDomain(REALM, (d, msg, user, password) -> PASSWORD.equals(password));
        TestMessage msg = request("/", value);
        if (msg == null) {
            return;
        }
        String user = domain.accepts(msg.msg);
        assertThat(user).isEqualTo(up != null && PASSWORD.equals(up.password()) ? up.user() : null);
    }

    @FuzzTest
    void digest(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        DigestAuthDomain domain = new DigestAuthDomain(REALM,
                (d, msg, user) -> DigestAuthDomain.encodePassword(user, REALM, PASSWORD));
        TestMessage msg = request(TARGET, value);
        if (msg == null) {
            return;
        }
        DigestCredentials c = DigestCredentials.parse(value);
        String user = domain.accepts(msg.msg);
        if (c == null) {
            assertThat(user).isNull();
            return;
        }
        assertThat(user).isIn(null, c.username());
        assertThat(c.count()).isPositive();
        assertThat(c.toString()).doesNotContain(c.response());

        if (c.nonce().isEmpty()) {
            return;
        }
        // The same credentials made right: a nonce the domain issued and the response for the password.
        TestMessage challenged = TestMessage.get(TARGET);
        domain.challenge(challenged.msg);
        DigestClient client = DigestClient.fromChallenge(challenged.responseHeaders.getOne("WWW-Authenticate"));
        String response = client.response(c.username(), PASSWORD, "GET", c.uri(), c.nc(), c.cnonce(),
                c.algorithm().token(), c.realm());
        String fixed = value.replace(c.nonce(), client.nonce).replace(c.response(), response);
        DigestCredentials f = DigestCredentials.parse(fixed);
        if (f == null || !f.nonce().equals(client.nonce) || !f.response().equals(response)
                || !f.username().equals(c.username()) || !f.uri().equals(c.uri())) {
            return; // the replacement also hit another parameter
        }
        TestMessage fixedRequest = request(TARGET, fixed);
        if (fixedRequest == null) {
            return;
        }
        String accepted = domain.accepts(fixedRequest.msg);
        if (REALM.equals(f.realm()) && TARGET.equals(f.uri()) && domain.getAlgorithms().contains(f.algorithm())) {
            assertThat(accepted).as("made-right credentials %s", fixed).isEqualTo(f.username());
            assertThat(domain.accepts(request(TARGET, fixed).msg))
                    .as("replayed nonce count").isNull();
        } else {
            assertThat(accepted).isIn(null, f.username());
        }
    }
}
