package dev.ladle.http;

import static dev.ladle.http.Preconditions.Outcome.FAILED;
import static dev.ladle.http.Preconditions.Outcome.NOT_MODIFIED;
import static dev.ladle.http.Preconditions.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
    private static final Validators CURRENT = new Validators("\"abc\"", Instant.parse("2024-05-01T10:00:00Z"));

    private static MessageHeaders headers(String... pairs) {
        MessageHeaders headers = new MessageHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.append(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    void noConditionsProceed() {
        assertThat(Preconditions.evaluate("GET", headers(), CURRENT)).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchWithTheCurrentTagIsNotModifiedForGetAndFailedForPut() {
        assertThat(Preconditions.evaluate("GET", headers("If-None-Match", "\"x\", \"abc\""), CURRENT)).isEqualTo(NOT_MODIFIED);
        assertThat(Preconditions.evaluate("HEAD", headers("If-None-Match", "W/\"abc\""), CURRENT)).isEqualTo(NOT_MODIFIED);
        assertThat(Preconditions.evaluate("PUT", headers("If-None-Match", "\"abc\""), CURRENT)).isEqualTo(FAILED);
    }

    @Test
    void ifNoneMatchStarMatchesAnExistingFileOnly() {
        assertThat(Preconditions.evaluate("PUT", headers("If-None-Match", "*"), CURRENT)).isEqualTo(FAILED);
        assertThat(Preconditions.evaluate("PUT", headers("If-None-Match", "*"), null)).isEqualTo(PROCEED);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(Preconditions.evaluate("PUT", headers("If-Match", "\"abc\""), CURRENT)).isEqualTo(PROCEED);
        assertThat(Preconditions.evaluate("PUT", headers("If-Match", "W/\"abc\""), CURRENT)).isEqualTo(FAILED);
        assertThat(Preconditions.evaluate("PUT", headers("If-Match", "*"), null)).isEqualTo(FAILED);
    }

    @Test
    void ifModifiedSinceComparesWholeSeconds() {
        assertThat(Preconditions.evaluate("GET", headers("If-Modified-Since", "Wed, 01 May 2024 10:00:00 GMT"), CURRENT))
                .isEqualTo(NOT_MODIFIED);
        assertThat(Preconditions.evaluate("GET", headers("If-Modified-Since", "Wed, 01 May 2024 09:59:59 GMT"), CURRENT))
                .isEqualTo(PROCEED);
        assertThat(Preconditions.evaluate("GET", headers("If-Modified-Since", "not a date"), CURRENT)).isEqualTo(PROCEED);
    }

    @Test
    void ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() {
        assertThat(Preconditions.evaluate("GET", headers("If-None-Match", "\"other\"",
                "If-Modified-Since", "Wed, 01 May 2024 10:00:00 GMT"), CURRENT)).isEqualTo(PROCEED);
    }

    @Test
    void ifUnmodifiedSinceAnEarlierTimeFails() {
        assertThat(Preconditions.evaluate("DELETE", headers("If-Unmodified-Since", "Wed, 01 May 2024 09:00:00 GMT"), CURRENT))
                .isEqualTo(FAILED);
        assertThat(Preconditions.evaluate("DELETE", headers("If-Unmodified-Since", "Wed, 01 May 2024 10:00:00 GMT"), CURRENT))
                .isEqualTo(PROCEED);
    }

    @Test
    void aQuotedCommaDoesNotSplitATag() {
        assertThat(Preconditions.matches("\"a,b\", \"c\"", "\"a,b\"", true)).isTrue();
        assertThat(Preconditions.matches("\"a,b\"", "\"a\"", true)).isFalse();
    }
}
