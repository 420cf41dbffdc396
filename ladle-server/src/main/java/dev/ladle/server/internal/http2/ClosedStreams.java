package dev.ladle.server.internal.http2;

/**
 * How the most recently closed streams ended, so a late frame on a closed stream gets the treatment
 * RFC 9113 §5.1 names for the way it closed (ignored after our RST_STREAM, STREAM_CLOSED after the
 * peer's RST_STREAM or after both END_STREAMs). A fixed ring: constant memory however many streams a
 * connection carries; a stream that fell out of it counts as never opened (any error is a connection
 * error then, so the distinction only changes the code). Guarded by the connection's state lock.
 */
final class ClosedStreams {
    /** Not in the ring. */
    static final int UNKNOWN = 0;
    /** We reset it (stream error, refusal, cut-off request body): frames that follow are ignored. */
    static final int RESET_BY_US = 1;
    /** The peer reset it: later DATA or HEADERS are a stream error STREAM_CLOSED. */
    static final int RESET_BY_PEER = 2;
    /** Both sides sent END_STREAM: later HEADERS are a connection error STREAM_CLOSED. */
    static final int ENDED = 3;
    /** Opened after our GOAWAY's last stream id: never processed, its frames are ignored. */
    static final int IGNORED = 4;

    private static final int CAPACITY = 256;
    /** The ring starts small and grows to {@link #CAPACITY}: an idle connection keeps little. */
    private static final int INITIAL = 8;

    private int[] ids = new int[INITIAL];
    private byte[] reasons = new byte[INITIAL];
    private int next;

    /** Remembers how stream {@code id} closed, forgetting the oldest entry when full. */
    void add(int id, int reason) {
        if (next == ids.length) {
            if (ids.length < CAPACITY) {
                ids = java.util.Arrays.copyOf(ids, Math.min(ids.length * 2, CAPACITY));
                reasons = java.util.Arrays.copyOf(reasons, ids.length);
            } else {
                next = 0;
            }
        }
        ids[next] = id;
        reasons[next] = (byte) reason;
        next++;
    }

    /** How stream {@code id} closed, or {@link #UNKNOWN}. */
    int reason(int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id && reasons[i] != UNKNOWN) {
                return reasons[i];
            }
        }
        return UNKNOWN;
    }
}
