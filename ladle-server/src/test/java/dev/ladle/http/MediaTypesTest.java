package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void mediaTypesComeFromTheExtensionCaseInsensitively() {
        assertThat(MediaTypes.forFileName("index.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(MediaTypes.forFileName("a.tar.gz")).isEqualTo("application/gzip");
        assertThat(MediaTypes.forFileName("photo.jpeg")).isEqualTo("image/jpeg");
    }

    @Test
    void aNameWithoutAnExtensionIsOctetStream() {
        assertThat(MediaTypes.forFileName("Makefile")).isEqualTo(MediaTypes.DEFAULT).isEqualTo("application/octet-stream");
        assertThat(MediaTypes.forFileName("trailing.")).isEqualTo(MediaTypes.DEFAULT);
    }

    @Test
    void textTypesSayUtf8AndBinaryOnesNoCharset() {
        assertThat(MediaTypes.forFileName("a.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(MediaTypes.forFileName("a.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(MediaTypes.forFileName("a.png")).isEqualTo("image/png");
    }
}
