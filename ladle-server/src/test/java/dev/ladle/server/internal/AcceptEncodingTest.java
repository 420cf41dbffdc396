package dev.ladle.server.internal;

import static dev.ladle.server.Compression.Coding.DEFLATE;
import static dev.ladle.server.Compression.Coding.GZIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Compression;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing a content coding from {@code Accept-Encoding} (RFC 9110 section 12.5.3). */
class AcceptEncodingTest {
    private static final List<Compression.Coding> BOTH = List.of(GZIP, DEFLATE);

    @Test
    void noHeaderMeansNoCompression() {
        assertThat(AcceptEncoding.choose(null, BOTH)).isNull();
        assertThat(AcceptEncoding.choose("", BOTH)).isNull();
    }

    @Test
    void theHighestWeightWinsAndTiesGoToTheServersOrder() {
        assertThat(AcceptEncoding.choose("gzip, deflate", BOTH)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("deflate, gzip", BOTH)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("deflate, gzip", List.of(DEFLATE, GZIP))).isEqualTo(DEFLATE);
        assertThat(AcceptEncoding.choose("gzip;q=0.2, deflate;q=0.3", BOTH)).isEqualTo(DEFLATE);
        assertThat(AcceptEncoding.choose("GZIP ; Q=0.9 , deflate;q=0.8", BOTH)).isEqualTo(GZIP);
    }

    @Test
    void qZeroRefusesACoding() {
        assertThat(AcceptEncoding.choose("gzip;q=0, deflate", BOTH)).isEqualTo(DEFLATE);
        assertThat(AcceptEncoding.choose("gzip;q=0.000", BOTH)).isNull();
        assertThat(AcceptEncoding.choose("deflate;q=0", List.of(DEFLATE))).isNull();
    }

    @Test
    void starWeighsTheCodingsNotNamed() {
        assertThat(AcceptEncoding.choose("*", BOTH)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("gzip;q=0, *", BOTH)).isEqualTo(DEFLATE);
        assertThat(AcceptEncoding.choose("*;q=0", BOTH)).isNull();
        assertThat(AcceptEncoding.choose("br, *;q=0", BOTH)).isNull();
    }

    @Test
    void identityWinsOnlyWhenPreferred() {
        assertThat(AcceptEncoding.choose("gzip;q=0.5, identity", BOTH)).isNull();
        assertThat(AcceptEncoding.choose("gzip, identity", BOTH)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("gzip;q=0.5", BOTH)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("identity;q=0, gzip;q=0.1", BOTH)).isEqualTo(GZIP);
    }

    @Test
    void xGzipIsGzip() {
        assertThat(AcceptEncoding.choose("x-gzip", BOTH)).isEqualTo(GZIP);
        assertThat(AcceptEncoding.choose("x-gzip;q=0.4", List.of(GZIP))).isEqualTo(GZIP);
    }

    @Test
    void malformedWeightsRefuse() {
        assertThat(AcceptEncoding.choose("gzip;q=2", BOTH)).isNull();
        assertThat(AcceptEncoding.choose("gzip;q=abc", BOTH)).isNull();
        assertThat(AcceptEncoding.choose("gzip;q=0.12345", BOTH)).isNull();
        assertThat(AcceptEncoding.choose("gzip;q=1.001", BOTH)).isNull();
    }

    @Test
    void otherParametersAreSkipped() {
        assertThat(AcceptEncoding.choose("gzip;level=1;q=0, deflate;foo=bar", BOTH)).isEqualTo(DEFLATE);
    }
}
