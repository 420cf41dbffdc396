package dev.ladle.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MockResponse and Delay as values: what they refuse, and what they draw. No server. */
class MockResponseTest {

    @Test
    void contentLengthThatDisagreesWithTheBodyIsRefusedNamingBothNumbers() {
        MockResponse three = MockResponse.text("abc");
        assertThatThrownBy(() -> three.withHeader("Content-Length", "10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Content-Length 10").hasMessageContaining("3 bytes")
                .hasMessageContaining("withBodyCutAfter");
    }

    @Test
    void bodyReplacedUnderAContentLengthHeaderIsRefusedToo() {
        MockResponse declared = MockResponse.text("abc").withHeader("Content-Length", "3");
        assertThatThrownBy(() -> declared.withBody("text/plain", "abcdef"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Content-Length 3")
                .hasMessageContaining("6 bytes");
    }

    @Test
    void contentLengthThatAgreesIsKeptAndA304MayDeclareTheLengthItDoesNotSend() {
        assertThat(MockResponse.text("abc").withHeader("Content-Length", "3").headers())
                .extracting(Map.Entry::getKey).contains("Content-Length");
        assertThat(MockResponse.status(304).withHeader("Content-Length", "1234").status()).isEqualTo(304);
        assertThatThrownBy(() -> MockResponse.status(200).withHeader("Content-Length", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
    }

    @Test
    void statusIsTheFactoryAndWithStatusChangesACopy() {
        MockResponse created = MockResponse.status(201).withHeader("Location", "/items/7");
        MockResponse conflict = created.withStatus(409);
        assertThat(created.status()).isEqualTo(201);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.headers()).isEqualTo(created.headers());
        assertThatThrownBy(() -> created.withStatus(103)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockResponse.status(600)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyCutMustLeaveSomethingOut() {
        assertThat(MockResponse.text("0123456789").withBodyCutAfter(0).toString()).contains("body cut");
        assertThatThrownBy(() -> MockResponse.text("abc").withBodyCutAfter(3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 2");
        assertThatThrownBy(() -> MockResponse.status(200).withBodyCutAfter(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set the body first");
    }

    @Test
    void interimStatusMustBeAnInformationalOneThatIsNotTheServers() {
        assertThatThrownBy(() -> MockResponse.text("x").withInformational(100, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockResponse.text("x").withInformational(200, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MockResponse.text("x").withInformational(103, Map.of("Link", "</a.css>; rel=preload")).status())
                .isEqualTo(200);
    }

    @Test
    void fixedDelayIsAlwaysTheSame() {
        Delay d = Delay.fixed(Duration.ofMillis(250));
        assertThat(d.next()).isEqualTo(Duration.ofMillis(250)).isEqualTo(d.next());
        assertThat(Delay.fixed(Duration.ZERO)).isSameAs(Delay.NONE);
        assertThatThrownBy(() -> Delay.fixed(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniformDelayStaysWithinItsBoundsAndRepeatsWithTheSameSeed() {
        Delay a = Delay.uniform(Duration.ofMillis(10), Duration.ofMillis(20), new Random(7));
        Delay b = Delay.uniform(Duration.ofMillis(10), Duration.ofMillis(20), new Random(7));
        List<Duration> drawn = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Duration d = a.next();
            assertThat(d).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
            assertThat(b.next()).isEqualTo(d);
            drawn.add(d);
        }
        assertThat(drawn.stream().distinct().count()).isGreaterThan(990); // not stuck on a value
        assertThatThrownBy(() -> Delay.uniform(Duration.ofMillis(2), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logNormalDelayHasItsMedianAndRepeatsWithTheSameSeed() {
        Delay a = Delay.logNormal(Duration.ofMillis(100), 0.5, new Random(42));
        Delay b = Delay.logNormal(Duration.ofMillis(100), 0.5, new Random(42));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 2001; i++) {
            Duration d = a.next();
            assertThat(b.next()).isEqualTo(d);
            assertThat(d).isPositive();
            millis.add(d.toMillis());
        }
        millis.sort(null);
        assertThat(millis.get(1000)).isBetween(90L, 110L);
        // sigma 0.5: one in six is above e^0.5 (1.65) times the median
        assertThat(millis.stream().filter(m -> m > 165).count()).isBetween(250L, 420L);
        assertThat(Delay.logNormal(Duration.ofMillis(100), 0).next()).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> Delay.logNormal(Duration.ofMillis(1), Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
