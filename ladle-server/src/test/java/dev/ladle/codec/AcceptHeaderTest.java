package dev.ladle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How {@link AcceptHeader} weighs a content type (RFC 9110 section 12.5.1). */
class AcceptHeaderTest {
    private static final MediaType JSON = MediaType.APPLICATION_JSON;
    private static final MediaType TEXT = MediaType.TEXT_PLAIN_UTF_8;

    @Test
    void noAcceptAcceptsEverything() {
        assertThat(AcceptHeader.parse(null).quality(JSON)).isEqualTo(1);
        assertThat(AcceptHeader.parse("  ").quality(TEXT)).isEqualTo(1);
    }

    @Test
    void theMostSpecificMatchingRangeDecides() {
        AcceptHeader accept = AcceptHeader.parse("*/*;q=0.1, text/*;q=0.5, text/plain;q=0.8, application/json;q=0");
        assertThat(accept.quality(TEXT)).isEqualTo(0.8);
        assertThat(accept.quality(MediaType.parse("text/html"))).isEqualTo(0.5);
        assertThat(accept.quality(MediaType.parse("image/png"))).isEqualTo(0.1);
        assertThat(accept.quality(JSON)).isZero();
    }

    @Test
    void aTypeNoRangeIncludesIsNotWanted() {
        assertThat(AcceptHeader.parse("application/json").quality(TEXT)).isZero();
    }

    @Test
    void elementsThatCannotBeReadAreSkipped() {
        AcceptHeader accept = AcceptHeader.parse("garbage, text/plain;q=high, application/json;q=0.4, */plain");
        assertThat(accept.quality(JSON)).isEqualTo(0.4);
        assertThat(accept.quality(TEXT)).isZero();
        assertThat(AcceptHeader.parse("garbage").quality(TEXT)).as("nothing readable: as if absent").isEqualTo(1);
    }

    @Test
    void commasInsideQuotedParametersDoNotSplit() {
        assertThat(AcceptHeader.parse("text/plain;x=\"a,b\";q=0.7").quality(MediaType.parse("text/plain; x=\"a,b\"")))
                .isEqualTo(0.7);
    }
}
