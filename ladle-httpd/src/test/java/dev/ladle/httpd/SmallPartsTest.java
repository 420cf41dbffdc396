package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The small pure parts: byte sizes, media types, log escaping. */
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
    void mediaTypesComeFromTheExtensionCaseInsensitively() {
        assertThat(MediaTypes.forFileName("index.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(MediaTypes.forFileName("a.tar.gz")).isEqualTo("application/gzip");
        assertThat(MediaTypes.forFileName("photo.jpeg")).isEqualTo("image/jpeg");
        assertThat(MediaTypes.forFileName("Makefile")).isEqualTo("application/octet-stream");
        assertThat(MediaTypes.forFileName("trailing.")).isEqualTo("application/octet-stream");
    }

    @Test
    void accessLogEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(AccessLog.escape("GET /a\"b\\c\n HTTP/1.1")).isEqualTo("GET /a\\\"b\\\\c\\x0a HTTP/1.1");
    }
}
