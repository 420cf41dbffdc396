/**
 * Server-Sent Events (WHATWG HTML, "Server-sent events"): {@link dev.ladle.sse.EventStream} turns a
 * request into a {@code text/event-stream} that a browser's {@code EventSource} reads, and
 * {@link dev.ladle.sse.Event} is one event with its {@code event}, {@code id} and {@code retry} fields.
 */
package dev.ladle.sse;
