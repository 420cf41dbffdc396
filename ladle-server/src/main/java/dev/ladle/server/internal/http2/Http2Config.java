package dev.ladle.server.internal.http2;

import java.time.Duration;

/**
 * The limits and settings of one HTTP/2 connection.
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS we advertise; more open streams are
 *     refused with REFUSED_STREAM
 * @param initialWindowSize our SETTINGS_INITIAL_WINDOW_SIZE: the request body bytes buffered per stream
 * @param connectionWindowSize the connection receive window we grant (bounds all buffered request data)
 * @param maxFrameSize our SETTINGS_MAX_FRAME_SIZE, 16384 to 16777215
 * @param maxHeaderListSize our SETTINGS_MAX_HEADER_LIST_SIZE (RFC 7541 size: name + value + 32 per
 *     field); a larger request head is answered with 431
 * @param headerTableSize our SETTINGS_HEADER_TABLE_SIZE, the HPACK decoder's table bound
 * @param writeTimeout how long a write may wait for the socket or for flow-control credit without
 *     progress before the connection (socket) or the stream (credit) is given up
 * @param enableConnectProtocol true to advertise SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441)
 */
public record Http2Config(int maxConcurrentStreams, int initialWindowSize, int connectionWindowSize,
        int maxFrameSize, int maxHeaderListSize, int headerTableSize, Duration writeTimeout,
        boolean enableConnectProtocol) {

    /**
     * Checks the values against the protocol's bounds.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public Http2Config {
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException("maxConcurrentStreams < 1: " + maxConcurrentStreams);
        }
        if (initialWindowSize < 1) {
            throw new IllegalArgumentException("initialWindowSize < 1: " + initialWindowSize);
        }
        if (connectionWindowSize < SettingsParameter.DEFAULT_WINDOW_SIZE) {
            throw new IllegalArgumentException("connectionWindowSize < 65535: " + connectionWindowSize);
        }
        if (maxFrameSize < SettingsParameter.DEFAULT_MAX_FRAME_SIZE
                || maxFrameSize > SettingsParameter.MAX_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize out of range: " + maxFrameSize);
        }
        if (maxHeaderListSize < 1 || headerTableSize < 0) {
            throw new IllegalArgumentException("header limits out of range");
        }
        if (writeTimeout == null || writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("writeTimeout must be positive");
        }
    }

    /**
     * 100 streams, 1 MiB stream windows, a 16 MiB connection window, 16 KiB frames, 64 KiB header
     * lists, a 4096-byte HPACK table, a 30 s write timeout and extended CONNECT enabled.
     */
    public static Http2Config defaults() {
        return new Http2Config(100, 1 << 20, 16 << 20, SettingsParameter.DEFAULT_MAX_FRAME_SIZE, 64 << 10,
                SettingsParameter.DEFAULT_HEADER_TABLE_SIZE, Duration.ofSeconds(30), true);
    }

    /** A copy with another write timeout (tests and integrators that derive it from server limits). */
    public Http2Config withWriteTimeout(Duration timeout) {
        return new Http2Config(maxConcurrentStreams, initialWindowSize, connectionWindowSize, maxFrameSize,
                maxHeaderListSize, headerTableSize, timeout, enableConnectProtocol);
    }
}
