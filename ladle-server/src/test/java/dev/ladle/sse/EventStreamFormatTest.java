package dev.ladle.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code text/event-stream} encoding of events and comments, and the fields it refuses. */
class EventStreamFormatTest {
    private static String encode(Event event) {
        return new String(EventFormat.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void dataOnlyEventIsOneDataLineAndABlankLine() {
        assertThat(encode(Event.of("hello"))).isEqualTo("data: hello\n\n");
    }

    @Test
    void everyFieldGoesOutWithRetryInMilliseconds() {
        Event event = Event.of("tick", "7").withId("42").withRetry(Duration.ofMillis(1500));
        assertThat(encode(event)).isEqualTo("event: tick\nid: 42\nretry: 1500\ndata: 7\n\n");
    }

    @Test
    void multiLineDataIsSplitAtEveryKindOfLineBreak() {
        assertThat(encode(Event.of("a\nb\r\nc\rd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void trailingLineBreakInDataIsAnEmptyDataLineSoTheBrowserKeepsIt() {
        assertThat(encode(Event.of("a\n"))).isEqualTo("data: a\ndata: \n\n");
    }

    @Test
    void leadingSpaceOfDataSurvivesTheSpaceTheParserDrops() {
        assertThat(encode(Event.of(" indented"))).isEqualTo("data:  indented\n\n");
    }

    @Test
    void eventWithoutDataSendsItsOtherFields() {
        assertThat(encode(new Event(null, null, "9", Duration.ofSeconds(2)))).isEqualTo("id: 9\nretry: 2000\n\n");
    }

    @Test
    void dataIsUtf8() {
        assertThat(EventFormat.encode(Event.of("é€"))).isEqualTo("data: é€\n\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commentIsAColonLineAndABlankLine() {
        assertThat(new String(EventFormat.comment("hi"), StandardCharsets.UTF_8)).isEqualTo(": hi\n\n");
        assertThat(new String(EventFormat.comment(""), StandardCharsets.UTF_8)).isEqualTo(":\n\n");
    }

    @Test
    void lineBreakInTheEventTypeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Event.of("tick\ndata: forged", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event field");
        assertThatThrownBy(() -> Event.of("x").withType("a\rb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event field");
    }

    @Test
    void lineBreakInTheIdIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Event.of("x").withId("1\r\nretry: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id field");
    }

    @Test
    void nulInTheIdIsRefused() {
        assertThatThrownBy(() -> Event.of("x").withId("1\0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id field");
    }

    @Test
    void lineBreakInACommentIsRefusedNamingIt() {
        assertThatThrownBy(() -> EventFormat.comment("a\nb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment field");
    }

    @Test
    void negativeRetryIsRefused() {
        assertThatThrownBy(() -> Event.of("x").withRetry(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry field");
    }

    @Test
    void eventWithNoFieldIsRefused() {
        assertThatThrownBy(() -> new Event(null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
