package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@link Compression} value: defaults, media type matching, validation. */
class CompressionSettingsTest {
    @Test
    void theDefaultOffersGzipThenDeflateFromOneKibAtLevelSix() {
        assertThat(Compression.DEFAULT.getCodings()).containsExactly(Compression.Coding.GZIP, Compression.Coding.DEFLATE);
        assertThat(Compression.DEFAULT.getMinimumSize()).isEqualTo(1024);
        assertThat(Compression.DEFAULT.getLevel()).isEqualTo(6);
        assertThat(Compression.DEFAULT.isEnabled()).isTrue();
    }

    @Test
    void offHasNoCodingsAndIsTheServersDefault() {
        assertThat(Compression.OFF.isEnabled()).isFalse();
        assertThat(Compression.OFF.getCodings()).isEmpty();
        try (Server server = new Server()) {
            assertThat(server.getCompression()).isEqualTo(Compression.OFF);
            server.setCompression(Compression.DEFAULT.withLevel(1));
            assertThat(server.getCompression()).isEqualTo(Compression.DEFAULT.withLevel(1));
        }
    }

    @Test
    void theDefaultTypesAreTextJsonJavaScriptXmlAndSvg() {
        Compression c = Compression.DEFAULT;
        for (String type : new String[] {"text/html; charset=utf-8", "TEXT/CSS", "text/event-stream", "application/json",
                "application/javascript", "application/xml", "application/problem+json", "application/atom+xml",
                "image/svg+xml"}) {
            assertThat(c.compresses(type)).as(type).isTrue();
        }
        for (String type : new String[] {"image/png", "application/octet-stream", "application/pdf", "video/mp4",
                "application/zip", "font/woff2", "application/jsonx", "textual/plain", "text", "", null}) {
            assertThat(c.compresses(type)).as(String.valueOf(type)).isFalse();
        }
    }

    @Test
    void compressedFormatsAreNeverCompressedEvenWhenEveryTypeIs() {
        Compression all = Compression.DEFAULT.withMediaTypes("*/*");
        assertThat(all.compresses("application/octet-stream")).isTrue();
        for (String type : new String[] {"image/png", "image/jpeg", "application/gzip", "application/zip",
                "application/epub+zip", "audio/ogg", "video/webm", "font/woff"}) {
            assertThat(all.compresses(type)).as(type).isFalse();
        }
    }

    @Test
    void mediaTypePatternsAreCheckedAndCompared() {
        Compression c = Compression.DEFAULT.withMediaTypes("Application/Wasm", "+yaml", "font/*");
        assertThat(c.getMediaTypes()).containsExactly("application/wasm", "+yaml", "font/*");
        assertThat(c.compresses("application/wasm")).isTrue();
        assertThat(c.compresses("application/openapi+yaml")).isTrue();
        assertThat(c.compresses("font/ttf")).isTrue();
        assertThat(c.compresses("font/woff2")).isFalse();
        assertThat(c.compresses("text/plain")).isFalse();
        for (String bad : new String[] {"text", "text/", "/plain", "*/plain", "text/plain; charset=utf-8", "+", "a/b/c"}) {
            assertThatThrownBy(() -> Compression.DEFAULT.withMediaTypes(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void levelAndMinimumSizeAreChecked() {
        assertThatThrownBy(() -> Compression.DEFAULT.withLevel(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Compression.DEFAULT.withLevel(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Compression.DEFAULT.withMinimumSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Compression.DEFAULT.withMinimumSize(0).getMinimumSize()).isZero();
    }

    @Test
    void codingsKeepTheirOrderOnceEach() {
        Compression c = Compression.DEFAULT.withCodings(Compression.Coding.DEFLATE, Compression.Coding.GZIP,
                Compression.Coding.DEFLATE);
        assertThat(c.getCodings()).containsExactly(Compression.Coding.DEFLATE, Compression.Coding.GZIP);
        assertThat(c).isNotEqualTo(Compression.DEFAULT);
        assertThat(c.withCodings(Compression.Coding.GZIP, Compression.Coding.DEFLATE)).isEqualTo(Compression.DEFAULT)
                .hasSameHashCodeAs(Compression.DEFAULT);
    }
}
