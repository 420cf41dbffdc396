package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The contract of {@link StatusException}: error statuses only, the standard phrase as the default reason, no stack trace. */
class StatusExceptionTest {

    @Test
    void statusOutsideTheErrorRangeIsRefused() {
        assertThatThrownBy(() -> new StatusException(302, "elsewhere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StatusException(600)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonDefaultsToTheStandardPhrase() {
        assertThat(new StatusException(404).getReason()).isEqualTo("Not Found");
        assertThat(new StatusException(404, null).getReason()).isEqualTo("Not Found");
        assertThat(new StatusException(422, "no").getStatus()).isEqualTo(422);
    }

    @Test
    void carriesNoStackTraceButKeepsItsCause() {
        IllegalStateException cause = new IllegalStateException("why");
        StatusException e = new StatusException(400, "bad", cause);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isSameAs(cause);
    }
}
