package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.ListenOption;
import dev.ladle.server.TrustedProxies;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** The small pure parts: byte sizes, durations, log escaping, the balancer flags, --compress. */
class SmallPartsTest {
    private final ByteSize byteSize = new ByteSize();

    @Test
    void byteSizesTakeBinarySuffixes() {
        assertThat(byteSize.convert("1234")).isEqualTo(1234L);
        assertThat(byteSize.convert("64k")).isEqualTo(65536L);
        assertThat(byteSize.convert("16M")).isEqualTo(16L << 20);
        assertThat(byteSize.convert("2g")).isEqualTo(2L << 30);
    }

    @Test
    void byteSizesMustBePositiveNumbers() {
        for (String bad : new String[] {"0", "-1", "k", "", "1.5m", "12x", "99999999999g"}) {
            assertThatThrownBy(() -> byteSize.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }

    @Test
    void drainGracesTakeMillisecondsSecondsOrMinutesAndSecondsWithoutAUnit() {
        DurationFlag duration = new DurationFlag();
        assertThat(duration.convert("5")).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(duration.convert("5s")).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(duration.convert("250ms")).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(duration.convert("2m")).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(duration.convert("0")).isEqualTo(java.time.Duration.ZERO);
        for (String bad : new String[] {"-1s", "soon", "", "s", "1.5s", "2h", "99999999999"}) {
            assertThatThrownBy(() -> duration.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }

    @Test
    void trustedHeadersNamesTheFamilyTheTrustedProxiesAreBelievedIn() {
        BalancerFlags flags = new BalancerFlags();
        flags.trustedHeaders = "both";
        assertThat(flags.trustedProxies()).isSameAs(TrustedProxies.NONE);
        flags.trustedProxies = List.of("127.0.0.1", "10.0.0.0/8");
        assertThat(flags.trustedProxies().entries()).containsExactly("127.0.0.1/32", "10.0.0.0/8");
        assertThat(flags.trustedProxies().headers()).containsExactlyInAnyOrder(TrustedProxies.Header.FORWARDED,
                TrustedProxies.Header.X_FORWARDED);
        flags.trustedHeaders = "X-Forwarded";
        assertThat(flags.trustedProxies().headers()).containsExactly(TrustedProxies.Header.X_FORWARDED);
        flags.trustedHeaders = "forwarded";
        assertThat(flags.trustedProxies().headers()).containsExactly(TrustedProxies.Header.FORWARDED);
        flags.trustedHeaders = "x-forwarded-for";
        assertThatThrownBy(flags::trustedProxies).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--trusted-headers takes both, forwarded or x-forwarded");
        flags.trustedHeaders = "both";
        flags.trustedProxies = List.of("proxy.example.org");
        assertThatThrownBy(flags::trustedProxies).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--trusted-proxy: ").hasMessageContaining("proxy.example.org");
    }

    @Test
    void proxyProtocolAndReusePortAreTheTcpListenersOptions() {
        BalancerFlags flags = new BalancerFlags();
        assertThat(flags.tcpListenOptions()).isEmpty();
        flags.proxyProtocol = true;
        flags.reusePort = true;
        assertThat(flags.tcpListenOptions()).containsExactlyInAnyOrder(ListenOption.PROXY_PROTOCOL, ListenOption.REUSE_PORT);
    }

    @Test
    void theDrainGraceIsFiveSecondsWithHealthNoneWithoutAndWhatDrainGraceSaysWhenGiven() {
        BalancerFlags flags = new BalancerFlags();
        assertThat(flags.drainGrace()).as("without --health: nothing checks it, so no wait").isEqualTo(java.time.Duration.ZERO);
        flags.health = "/health";
        assertThat(flags.drainGrace()).isEqualTo(java.time.Duration.ofSeconds(5));
        flags.drainGrace = java.time.Duration.ofMillis(250);
        assertThat(flags.drainGrace()).isEqualTo(java.time.Duration.ofMillis(250));
        flags.health = null;
        flags.drainGrace = java.time.Duration.ZERO;
        assertThat(flags.drainGrace()).isEqualTo(java.time.Duration.ZERO);
    }

    @Test
    void compressIsParsedAndDoesNotGoWithMock() {
        HttpdCommand files = new HttpdCommand(System.out, System.err);
        new CommandLine(files).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--compress");
        assertThat(files.compress).isTrue();
        HttpdCommand mock = new HttpdCommand(System.out, System.err);
        // as Main sets it up: enum values such as --client-cert's default "none" in any case
        new CommandLine(mock).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--mock", "mappings", "--compress");
        assertThatThrownBy(mock::checkFlags).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--compress does not go with --mock");
    }

    @Test
    void accessLogEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(AccessLog.escape("GET /a\"b\\c\n HTTP/1.1")).isEqualTo("GET /a\\\"b\\\\c\\x0a HTTP/1.1");
    }
}
