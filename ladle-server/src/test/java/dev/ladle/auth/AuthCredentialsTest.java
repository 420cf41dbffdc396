package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthCredentialsTest {

    @Test
    void splitsSchemeFromToken68() {
        AuthCredentials c = AuthCredentials.parse("Basic dXNlcjpwdw==");
        assertThat(c.scheme()).isEqualTo("Basic");
        assertThat(c.rest()).isEqualTo("dXNlcjpwdw==");
        assertThat(c.isScheme("basic")).isTrue();
    }

    @Test
    void schemeMustBeATokenFollowedBySpace() {
        assertThat(AuthCredentials.parse("Basic\tabc")).isNull();
        assertThat(AuthCredentials.parse("Ba\"sic abc")).isNull();
        assertThat(AuthCredentials.parse("")).isNull();
        assertThat(AuthCredentials.parse("  ")).isNull();
        assertThat(AuthCredentials.parse("Basic").rest()).isEmpty();
    }

    @Test
    void parsesTokenAndQuotedParametersWithEscapesAndCommas() {
        var p = AuthCredentials.parse("Digest username=\"Mu\\\"fa,sa\" ,  realm = \"a, b\",nc=00000001,,qop=auth").params();
        assertThat(p).containsEntry("username", "Mu\"fa,sa")
                .containsEntry("realm", "a, b")
                .containsEntry("nc", "00000001")
                .containsEntry("qop", "auth")
                .hasSize(4);
    }

    @Test
    void parameterNamesAreCaseInsensitive() {
        assertThat(AuthCredentials.parse("Digest UserName=\"x\"").params()).containsEntry("username", "x");
    }

    @Test
    void repeatedParameterIsMalformed() {
        assertThat(AuthCredentials.parse("Digest realm=\"a\", realm=\"b\"").params()).isNull();
    }

    @Test
    void malformedListsAreRejected() {
        assertThat(AuthCredentials.parse("Digest realm=\"unterminated").params()).isNull();
        assertThat(AuthCredentials.parse("Digest realm").params()).isNull();
        assertThat(AuthCredentials.parse("Digest realm=").params()).isNull();
        assertThat(AuthCredentials.parse("Digest a=1 b=2").params()).isNull();
        assertThat(AuthCredentials.parse("Digest =1").params()).isNull();
        assertThat(AuthCredentials.parse("Digest a=\"x\\").params()).isNull();
    }
}
