package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;
import static java.lang.System.Logger.Level.DEBUG;

import java.io.IOException;

/**
 * Routes each frame the reader read to its handler by type, and handles the small control frames
 * itself (PRIORITY, RST_STREAM and WINDOW_UPDATE checked here and applied elsewhere, PING, GOAWAY).
 * A fault throws {@link ConnectionException} or {@link StreamException} for the reader loop to answer.
 * Reader thread.
 */
final class FrameDispatcher {
    /** The engine's one logger name, shared by its parts. */
    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());

    private final FrameReader reader;
    private final FrameWriter writer;
    private final DataFrameHandler dataFrames;
    private final HeaderBlockHandler headerBlocks;
    private final SettingsExchange settings;
    private final StreamResets resets;
    private final FlowControl flow;
    private final TokenBucket pingBudget = new TokenBucket(500, 250);

    /**
     * @param reader the current frame
     * @param writer where PING ACKs go
     * @param dataFrames handles DATA
     * @param headerBlocks handles HEADERS and CONTINUATION
     * @param settings handles SETTINGS
     * @param resets applies RST_STREAM
     * @param flow applies WINDOW_UPDATE
     */
    FrameDispatcher(FrameReader reader, FrameWriter writer, DataFrameHandler dataFrames,
            HeaderBlockHandler headerBlocks, SettingsExchange settings, StreamResets resets, FlowControl flow) {
        this.reader = reader;
        this.writer = writer;
        this.dataFrames = dataFrames;
        this.headerBlocks = headerBlocks;
        this.settings = settings;
        this.resets = resets;
        this.flow = flow;
    }

    /** Handles the frame the reader just read. */
    void dispatch() throws IOException, ConnectionException, StreamException {
        int type = reader.type();
        if (headerBlocks.inProgress() && type != FrameType.CONTINUATION) {
            throw new ConnectionException(PROTOCOL_ERROR, "frame inside a header block");
        }
        switch (type) {
            case FrameType.DATA -> dataFrames.onData();
            case FrameType.HEADERS -> headerBlocks.onHeaders();
            case FrameType.PRIORITY -> onPriority();
            case FrameType.RST_STREAM -> onRstStream();
            case FrameType.SETTINGS -> settings.onSettings();
            case FrameType.PUSH_PROMISE -> throw new ConnectionException(PROTOCOL_ERROR, "PUSH_PROMISE from a client");
            case FrameType.PING -> onPing();
            case FrameType.GOAWAY -> onGoAway();
            case FrameType.WINDOW_UPDATE -> onWindowUpdate();
            case FrameType.CONTINUATION -> headerBlocks.onContinuation();
            default -> {
                // unknown frame types are ignored (RFC 9113 §4.1, §5.5)
            }
        }
    }

    private void onPriority() throws ConnectionException, StreamException {
        int sid = reader.streamId();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "PRIORITY on stream 0");
        }
        if (reader.length() != 5) {
            throw new StreamException(sid, FRAME_SIZE_ERROR, "PRIORITY of " + reader.length() + " bytes");
        }
        if (FrameReader.int31(reader.buffer(), reader.payloadOffset()) == sid) {
            throw new StreamException(sid, PROTOCOL_ERROR, "stream depends on itself");
        }
        // RFC 9113 deprecates the priority scheme; a valid PRIORITY frame changes nothing here
    }

    private void onRstStream() throws IOException, ConnectionException {
        int sid = reader.streamId();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "RST_STREAM on stream 0");
        }
        if (reader.length() != 4) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "RST_STREAM of " + reader.length() + " bytes");
        }
        resets.peerReset(sid, FrameReader.int32(reader.buffer(), reader.payloadOffset()));
    }

    private void onPing() throws IOException, ConnectionException {
        if (reader.streamId() != 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "PING on a stream");
        }
        if (reader.length() != 8) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "PING of " + reader.length() + " bytes");
        }
        if (reader.hasFlag(FrameFlags.ACK)) {
            return;
        }
        if (!pingBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many PING frames");
        }
        writer.writePingAck(reader.buffer(), reader.payloadOffset());
    }

    private void onGoAway() throws ConnectionException {
        if (reader.streamId() != 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "GOAWAY on a stream");
        }
        if (reader.length() < 8) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "GOAWAY of " + reader.length() + " bytes");
        }
        // the client opens no more streams; those in flight finish, then it closes the connection
        LOG.log(DEBUG, "HTTP/2 GOAWAY from the peer, code {0}",
                FrameReader.int32(reader.buffer(), reader.payloadOffset() + 4));
    }

    private void onWindowUpdate() throws ConnectionException, StreamException {
        if (reader.length() != 4) {
            throw new ConnectionException(FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + reader.length() + " bytes");
        }
        flow.applyWindowUpdate(reader.streamId(), FrameReader.int31(reader.buffer(), reader.payloadOffset()));
    }
}
