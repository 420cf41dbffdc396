package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SETTINGS exchange (RFC 9113 §6.5): our SETTINGS (and connection window) in the server preface,
 * and the peer's SETTINGS checked, applied to the send windows and the writer, and acknowledged.
 * Reader thread.
 */
final class SettingsExchange {
    private final Http2Config config;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final FlowControl flow;
    private final TokenBucket settingsBudget = new TokenBucket(50, 10);

    /** What a SETTINGS frame changes here; -1 for a value it leaves alone. */
    private record PeerSettings(int initialWindow, int maxFrame, int tableSize) {
    }

    /**
     * @param config our settings
     * @param reader the current frame
     * @param writer where our SETTINGS and the ACKs go, and where the peer's frame and table sizes apply
     * @param flow where the peer's initial window size applies
     */
    SettingsExchange(Http2Config config, FrameReader reader, FrameWriter writer, FlowControl flow) {
        this.config = config;
        this.reader = reader;
        this.writer = writer;
        this.flow = flow;
    }

    /** Sends our SETTINGS, and a WINDOW_UPDATE when our connection window is above the default. */
    void sendPreface() throws IOException {
        List<Integer> s = new ArrayList<>(12);
        s.add(SettingsParameter.MAX_CONCURRENT_STREAMS);
        s.add(config.maxConcurrentStreams());
        s.add(SettingsParameter.INITIAL_WINDOW_SIZE);
        s.add(config.initialWindowSize());
        if (config.maxFrameSize() != SettingsParameter.DEFAULT_MAX_FRAME_SIZE) {
            s.add(SettingsParameter.MAX_FRAME_SIZE);
            s.add(config.maxFrameSize());
        }
        s.add(SettingsParameter.MAX_HEADER_LIST_SIZE);
        s.add(config.maxHeaderListSize());
        if (config.headerTableSize() != SettingsParameter.DEFAULT_HEADER_TABLE_SIZE) {
            s.add(SettingsParameter.HEADER_TABLE_SIZE);
            s.add(config.headerTableSize());
        }
        if (config.enableConnectProtocol()) {
            s.add(SettingsParameter.ENABLE_CONNECT_PROTOCOL);
            s.add(1);
        }
        writer.lock();
        try {
            writer.settings(s.stream().mapToInt(Integer::intValue).toArray());
            int extra = config.connectionWindowSize() - SettingsParameter.DEFAULT_WINDOW_SIZE;
            if (extra > 0) {
                writer.windowUpdate(0, extra);
            }
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
    }

    /** A SETTINGS frame from the peer. */
    void onSettings() throws IOException, ConnectionException {
        if (reader.streamId() != 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "SETTINGS on a stream");
        }
        int length = reader.length();
        if (reader.hasFlag(FrameFlags.ACK)) {
            if (length != 0) {
                throw new ConnectionException(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
            }
            return;
        }
        if (length % 6 != 0) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "SETTINGS of " + length + " bytes");
        }
        if (!settingsBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many SETTINGS frames");
        }
        PeerSettings changed = parse(reader.buffer(), reader.payloadOffset(), length);
        if (changed.initialWindow() >= 0) {
            flow.applyPeerInitialWindowSize(changed.initialWindow());
        }
        writer.applyPeerSettingsAndAck(changed.maxFrame(), changed.tableSize());
    }

    /**
     * Checks the parameters of a SETTINGS payload and picks out those that change something here; the
     * whole frame is checked before any of it is applied.
     */
    private static PeerSettings parse(byte[] b, int off, int length) throws ConnectionException {
        int initialWindow = -1;
        int maxFrame = -1;
        int tableSize = -1;
        for (int p = off, end = p + length; p < end; p += 6) {
            int id = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
            int value = FrameReader.int32(b, p + 2);
            switch (id) {
                case SettingsParameter.ENABLE_PUSH, SettingsParameter.ENABLE_CONNECT_PROTOCOL -> {
                    if (value != 0 && value != 1) {
                        throw new ConnectionException(PROTOCOL_ERROR, "SETTINGS " + id + " value " + value);
                    }
                }
                case SettingsParameter.INITIAL_WINDOW_SIZE -> {
                    if (value < 0) { // above 2^31-1 as an unsigned value
                        throw new ConnectionException(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE too large");
                    }
                    initialWindow = value;
                }
                case SettingsParameter.MAX_FRAME_SIZE -> {
                    if (value < SettingsParameter.DEFAULT_MAX_FRAME_SIZE || value > SettingsParameter.MAX_MAX_FRAME_SIZE) {
                        throw new ConnectionException(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE out of range");
                    }
                    maxFrame = value;
                }
                case SettingsParameter.HEADER_TABLE_SIZE -> tableSize = value < 0 ? Integer.MAX_VALUE : value;
                default -> {
                    // MAX_CONCURRENT_STREAMS limits pushes, which we never send; MAX_HEADER_LIST_SIZE is
                    // advisory; unknown ids must be ignored (§6.5.2)
                }
            }
        }
        return new PeerSettings(initialWindow, maxFrame, tableSize);
    }
}
