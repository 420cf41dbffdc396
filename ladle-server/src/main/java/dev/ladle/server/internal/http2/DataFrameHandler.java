package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.ladle.server.internal.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.ladle.server.internal.http2.ErrorCode.STREAM_CLOSED;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DATA frames: accounts each against the receive windows, checks the body against content-length, and
 * buffers it for the stream's handler, reads it away on a draining stream, or refuses it on a closed
 * one. Reader thread.
 */
final class DataFrameHandler {
    private final ReentrantLock lock;
    private final FrameReader reader;
    private final StreamRegistry registry;
    private final FlowControl flow;
    private final TokenBucket emptyDataBudget = new TokenBucket(100, 50);

    /**
     * @param lock the connection's state lock
     * @param reader the current frame
     * @param registry the streams
     * @param flow the receive windows
     */
    DataFrameHandler(ReentrantLock lock, FrameReader reader, StreamRegistry registry, FlowControl flow) {
        this.lock = lock;
        this.reader = reader;
        this.registry = registry;
        this.flow = flow;
    }

    void onData() throws IOException, ConnectionException, StreamException {
        int sid = reader.streamId();
        int length = reader.length();
        if (sid == 0) {
            throw new ConnectionException(PROTOCOL_ERROR, "DATA on stream 0");
        }
        byte[] b = reader.buffer();
        int off = reader.payloadOffset();
        int dataLength = length;
        if (reader.hasFlag(FrameFlags.PADDED)) {
            int pad = length == 0 ? Integer.MAX_VALUE : b[off] & 0xff;
            if (pad >= length) {
                throw new ConnectionException(PROTOCOL_ERROR, "DATA padding exceeds the payload");
            }
            off++;
            dataLength = length - 1 - pad;
        }
        boolean endStream = reader.hasFlag(FrameFlags.END_STREAM);
        if (length == 0 && !endStream && !emptyDataBudget.take()) {
            throw new ConnectionException(ENHANCE_YOUR_CALM, "too many empty DATA frames");
        }
        Http2Stream s;
        int connectionIncrement = 0;
        int streamIncrement = 0;
        StreamException error = null;
        lock.lock();
        try {
            if (sid > registry.lastStreamId()) {
                throw new ConnectionException(PROTOCOL_ERROR, "DATA on idle stream " + sid);
            }
            // every DATA frame counts against the connection window, even on a closed stream (§6.9)
            if (!flow.receiveOnConnection(length)) {
                throw new ConnectionException(FLOW_CONTROL_ERROR, "connection receive window exceeded");
            }
            s = registry.get(sid);
            int state = s == null ? registry.closedReason(sid) : StreamRegistry.state(s);
            if (s == null || state != StreamRegistry.OPEN) {
                connectionIncrement = flow.consumeOnConnection(length);
                if (state != ClosedStreams.RESET_BY_US && state != ClosedStreams.IGNORED) {
                    error = new StreamException(sid, STREAM_CLOSED, "DATA on closed stream " + sid);
                }
            } else if (!s.receiveWindow.receive(length)) {
                connectionIncrement = flow.consumeOnConnection(length);
                error = new StreamException(sid, FLOW_CONTROL_ERROR, "stream receive window exceeded");
            } else {
                s.received += dataLength;
                long declared = s.request().contentLength();
                if (declared >= 0 && (s.received > declared || (endStream && s.received != declared))) {
                    connectionIncrement = flow.consumeOnConnection(length);
                    error = new StreamException(sid, PROTOCOL_ERROR, "body length differs from content-length");
                } else if (s.draining) {
                    connectionIncrement = flow.consumeOnConnection(length);
                    streamIncrement = endStream ? 0 : s.receiveWindow.consume(length);
                    s.drained += length;
                    if (endStream) {
                        registry.remoteEnded(s);
                    } else if (s.drained > StreamRegistry.DRAIN_LIMIT) {
                        error = new StreamException(sid, ErrorCode.NO_ERROR, "request body not wanted");
                    }
                } else {
                    s.enqueue(b, off, dataLength);
                    int padding = length - dataLength;
                    if (padding > 0) {
                        // padding is consumed on arrival: nobody reads it
                        connectionIncrement = flow.consumeOnConnection(padding);
                        streamIncrement = endStream ? 0 : s.receiveWindow.consume(padding);
                    }
                    if (endStream) {
                        registry.remoteEnded(s);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        flow.sendWindowUpdates(s, streamIncrement, connectionIncrement);
        if (error != null) {
            throw error;
        }
    }
}
