package dev.ladle.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import org.junit.jupiter.api.Test;

/** Parsing and matching {@link MediaType}s. */
class MediaTypeTest {

    @Test
    void parseLowerCasesTheTypeAndKeepsParameters() {
        MediaType t = MediaType.parse("Text/HTML; Charset=\"ISO-8859-1\"");
        assertThat(t.essence()).isEqualTo("text/html");
        assertThat(t.parameter("charset")).isEqualTo("ISO-8859-1");
        assertThat(t.charset(StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(t).hasToString("text/html; charset=ISO-8859-1");
    }

    @Test
    void textThatIsNoMediaTypeIsRefused() {
        assertThatThrownBy(() -> MediaType.parse("plain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaType.parse("text/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaType.parse("te xt/plain")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void charsetFallsBackOnlyWhenNoneIsNamed() {
        assertThat(MediaType.parse("text/plain").charset(StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MediaType.parse("text/plain; charset=x-none").charset(StandardCharsets.UTF_8))
                .isInstanceOf(UnsupportedCharsetException.class);
    }

    @Test
    void suffixMatchesTheStructuredSyntaxAndTheBareType() {
        assertThat(MediaType.parse("application/problem+json").hasSuffix("json")).isTrue();
        assertThat(MediaType.parse("application/json").hasSuffix("json")).isTrue();
        assertThat(MediaType.parse("application/jsonp").hasSuffix("json")).isFalse();
    }

    @Test
    void rangesIncludeTypesByWildcardAndParameters() {
        MediaType plain = MediaType.TEXT_PLAIN_UTF_8;
        assertThat(MediaType.parse("*/*").includes(plain)).isTrue();
        assertThat(MediaType.parse("text/*;q=0.3").includes(plain)).isTrue();
        assertThat(MediaType.parse("text/plain; charset=UTF-8").includes(plain)).isTrue();
        assertThat(MediaType.parse("text/plain; charset=iso-8859-1").includes(plain)).isFalse();
        assertThat(MediaType.parse("text/html").includes(plain)).isFalse();
        assertThat(MediaType.parse("image/*").includes(plain)).isFalse();
    }
}
