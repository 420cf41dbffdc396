/**
 * The server's Java Flight Recorder events: one per request, one per connection, one per WebSocket
 * message. All are disabled by default; the engine checks whether an event is enabled before it builds
 * one, so that a server not being recorded pays a field read per request and nothing else.
 */
package dev.ladle.server.internal.jfr;
