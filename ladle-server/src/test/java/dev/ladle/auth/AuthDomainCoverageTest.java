package dev.ladle.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which requests a domain covers: paths on segment boundaries, carve-outs, {@code *}, proxies, filters. */
class AuthDomainCoverageTest {

    private static BasicAuthDomain domain() {
        return new BasicAuthDomain("realm", (d, m, u, p) -> false);
    }

    private static boolean covers(AuthDomain d, String target) {
        return d.covers(TestMessage.get(target).msg);
    }

    @Test
    void domainWithoutPathsCoversNothing() {
        assertThat(covers(domain(), "/")).isFalse();
    }

    @Test
    void pathCoversItselfAndBelowOnSegmentBoundaries() {
        BasicAuthDomain d = domain();
        d.addPath("/public");
        assertThat(covers(d, "/public")).isTrue();
        assertThat(covers(d, "/public/")).isTrue();
        assertThat(covers(d, "/public/a/b")).isTrue();
        assertThat(covers(d, "/publicity")).isFalse();
        assertThat(covers(d, "/")).isFalse();
    }

    @Test
    void trailingSlashCoversOnlyWhatIsBelow() {
        BasicAuthDomain d = domain();
        d.addPath("/dir/");
        assertThat(covers(d, "/dir/x")).isTrue();
        assertThat(covers(d, "/dir")).isFalse();
    }

    @Test
    void removePathCarvesOutASubtreeAndADeeperAddPathProtectsAgain() {
        BasicAuthDomain d = domain();
        d.addPath("/");
        d.removePath("/open");
        d.addPath("/open/secret");
        assertThat(covers(d, "/anything")).isTrue();
        assertThat(covers(d, "/open")).isFalse();
        assertThat(covers(d, "/open/file")).isFalse();
        assertThat(covers(d, "/openness")).isTrue();
        assertThat(covers(d, "/open/secret/x")).isTrue();
    }

    @Test
    void matchingUsesTheDecodedPath() {
        BasicAuthDomain d = domain();
        d.addPath("/private");
        assertThat(covers(d, "/%70rivate/x")).isTrue();
    }

    @Test
    void pathAsSentIsMatchedTooSoRawPathServersCanProtectEscapedPaths() {
        BasicAuthDomain d = domain();
        d.addPath("/a%2Fb");
        assertThat(covers(d, "/a%2Fb/c")).isTrue();
        assertThat(covers(d, "/a/b")).isFalse();
    }

    @Test
    void optionsPingIsCoveredOnlyByAsterisk() {
        BasicAuthDomain root = domain();
        root.addPath("/");
        assertThat(root.covers(TestMessage.optionsPing().msg)).isFalse();
        BasicAuthDomain star = domain();
        star.addPath("*");
        assertThat(star.covers(TestMessage.optionsPing().msg)).isTrue();
        assertThat(covers(star, "/")).isFalse();
    }

    @Test
    void proxyDomainIgnoresPaths() {
        BasicAuthDomain proxy = new BasicAuthDomain("p", true, (d, m, u, p) -> false);
        assertThat(covers(proxy, "/x")).isTrue();
        proxy.removePath("/x");
        assertThat(covers(proxy, "/x")).isTrue();
        assertThat(proxy.covers(TestMessage.optionsPing().msg)).isTrue();
    }

    @Test
    void filterHasTheLastWord() {
        BasicAuthDomain d = domain();
        d.addPath("/");
        d.setFilter(m -> !m.getMethod().equals("GET"));
        assertThat(d.covers(TestMessage.request("GET", "/a").msg)).isFalse();
        assertThat(d.covers(TestMessage.request("PUT", "/a").msg)).isTrue();
        d.setFilter(null);
        assertThat(d.covers(TestMessage.request("GET", "/a").msg)).isTrue();
    }

    @Test
    void filterIsNotConsultedForUncoveredPaths() {
        BasicAuthDomain d = domain();
        d.addPath("/a");
        d.setFilter(m -> true);
        assertThat(covers(d, "/b")).isFalse();
    }

    @Test
    void relativePathsAreRefused() {
        assertThatThrownBy(() -> domain().addPath("private")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void realmWithControlCharactersIsRefused() {
        assertThatThrownBy(() -> new BasicAuthDomain("a\r\nb", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DigestAuthDomain(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
