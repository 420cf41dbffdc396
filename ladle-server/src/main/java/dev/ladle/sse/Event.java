package dev.ladle.sse;

import java.time.Duration;
import java.util.Objects;

/**
 * One server-sent event: the {@code data} a browser's {@code EventSource} hands to its listeners, with
 * the optional {@code event} field (the event's {@linkplain #type() type}), {@code id} (what the browser
 * sends back as {@code Last-Event-ID} when it reconnects) and {@code retry} (how long it waits before
 * reconnecting). A null component is a field not sent.
 *
 * <p>{@code data} may span lines: each line goes out as its own {@code data:} line and the browser joins
 * them with LF again (so CR LF and lone CR arrive as LF). The other fields are single lines: a CR or LF
 * in {@code type} or {@code id} would end the field early and let the rest pose as other fields, so it is
 * refused, as is a NUL in {@code id} (which browsers ignore). An event without data sets {@code id} and
 * {@code retry} in the browser but is not dispatched to listeners.
 *
 * @param type the {@code event} field, or null for the default type ({@code message})
 * @param data the {@code data}, or null for none
 * @param id the {@code id} field, or null; an empty id resets the browser's last event ID
 * @param retry the {@code retry} field (sent in whole milliseconds), or null
 */
public record Event(String type, String data, String id, Duration retry) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException naming the field, when {@code type} or {@code id} contains CR or LF,
     *     {@code id} contains NUL, {@code retry} is negative, or every component is null
     */
    public Event {
        EventFormat.checkLine("event", type);
        EventFormat.checkLine("id", id);
        if (id != null && id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the id field must not contain NUL (browsers ignore such an id)");
        }
        if (retry != null && retry.isNegative()) {
            throw new IllegalArgumentException("the retry field must not be negative: " + retry);
        }
        if (type == null && data == null && id == null && retry == null) {
            throw new IllegalArgumentException("an event needs at least one field");
        }
    }

    /**
     * Returns an event of the default type ({@code message}) carrying {@code data}.
     *
     * @throws NullPointerException when {@code data} is null
     */
    public static Event of(String data) {
        return new Event(null, Objects.requireNonNull(data, "data"), null, null);
    }

    /**
     * Returns an event of type {@code type} carrying {@code data}; the browser delivers it to the
     * listeners added with {@code addEventListener(type, ...)}.
     *
     * @throws NullPointerException when {@code type} or {@code data} is null
     * @throws IllegalArgumentException when {@code type} contains CR or LF
     */
    public static Event of(String type, String data) {
        return new Event(Objects.requireNonNull(type, "type"), Objects.requireNonNull(data, "data"), null, null);
    }

    /**
     * Returns this event with the {@code id} field set (null: none).
     *
     * @throws IllegalArgumentException when {@code id} contains CR, LF or NUL
     */
    public Event withId(String id) {
        return new Event(type, data, id, retry);
    }

    /**
     * Returns this event with the {@code event} field set (null: the default type).
     *
     * @throws IllegalArgumentException when {@code type} contains CR or LF
     */
    public Event withType(String type) {
        return new Event(type, data, id, retry);
    }

    /**
     * Returns this event with the {@code retry} field set (null: none).
     *
     * @throws IllegalArgumentException when {@code retry} is negative
     */
    public Event withRetry(Duration retry) {
        return new Event(type, data, id, retry);
    }
}
