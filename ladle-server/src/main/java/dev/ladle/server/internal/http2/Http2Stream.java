package dev.ladle.server.internal.http2;

import dev.ladle.http.MessageHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * One request stream as its handler sees it: the validated request, the request body as a blocking
 * read, and a blocking response writer. The handler's thread owns the reading and writing methods;
 * {@link #reset}, {@link #isReset} and {@link #onReset} may be called from any thread.
 *
 * <p>Request body bytes are buffered only up to the stream's receive window; the window is reopened as
 * the handler reads, so a slow handler slows the client down. Response DATA waits for the peer's
 * stream and connection windows.
 */
public final class Http2Stream {
    private static final byte[] EMPTY = new byte[0];

    private final Http2Connection connection;
    private final FrameWriter writer;
    private final int id;
    private final Http2Request request;

    // ---- guarded by connection.lock
    final Condition readable;
    final ReceiveWindow receiveWindow;
    final FlowWindow sendWindow;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int buffered;
    long received;
    boolean remoteClosed;
    boolean localEnded;
    /** Counted in the connection's open streams (not yet closed in the RFC's sense). */
    boolean counted = true;
    ErrorCode resetCode;
    boolean resetByPeer;
    boolean resetByUs;
    boolean connectionEnded;
    boolean handlerDone;
    /**
     * The handler answered before the request body ended: what still arrives is read away (and its
     * credit returned) so that the rest of the request is still checked, until the body ends or the
     * drain budget or deadline runs out (then RST_STREAM NO_ERROR). State lock held.
     */
    boolean draining;
    /** Bytes read away while {@link #draining}. */
    long drained;
    /** {@link System#nanoTime()} by which a draining stream must have ended. */
    long drainDeadlineNanos;
    private List<String> trailers = List.of();
    private List<Runnable> resetListeners;
    private boolean listenersRan;

    // ---- guarded by the writer lock
    /** No more frames but RST_STREAM may be sent (END_STREAM or RST_STREAM written). */
    boolean outputClosed;
    boolean rstWritten;

    // ---- handler thread only
    private int readTimeoutMillis;
    private boolean finalHeadersSent;

    Http2Stream(Http2Connection connection, FrameWriter writer, int id, Http2Request request, int receiveWindow,
            int sendWindow) {
        this.connection = connection;
        this.writer = writer;
        this.id = id;
        this.request = request;
        this.readable = connection.lock.newCondition();
        this.receiveWindow = new ReceiveWindow(receiveWindow);
        this.sendWindow = new FlowWindow(sendWindow);
        this.remoteClosed = request.endStream();
    }

    /** The stream id (odd, client-initiated). */
    public int id() {
        return id;
    }

    /** The validated request head. */
    public Http2Request request() {
        return request;
    }

    // ---------------------------------------------------------------- request body

    /**
     * Sets how long {@link #read} waits for data before throwing {@link SocketTimeoutException}.
     *
     * @param millis the timeout, 0 for none
     */
    public void setReadTimeout(int millis) {
        this.readTimeoutMillis = Math.max(0, millis);
    }

    /**
     * Reads request body bytes, blocking until some arrive.
     *
     * @return the number of bytes read, or -1 once the body ended (END_STREAM)
     * @throws StreamResetException when the stream was reset or the connection ended
     * @throws SocketTimeoutException when no data came within the read timeout
     */
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = 0;
        int streamIncrement;
        int connectionIncrement;
        connection.lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
            while (buffered == 0) {
                throwIfReset();
                if (remoteClosed) {
                    return -1;
                }
                try {
                    if (readTimeoutMillis == 0) {
                        readable.await();
                    } else if (nanos <= 0) {
                        throw new SocketTimeoutException("no request body data within " + readTimeoutMillis + " ms");
                    } else {
                        nanos = readable.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            while (n < len && buffered > 0) {
                byte[] head = chunks.peekFirst();
                int take = Math.min(len - n, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off + n, take);
                n += take;
                headOffset += take;
                buffered -= take;
                if (headOffset == head.length) {
                    chunks.pollFirst();
                    headOffset = 0;
                }
            }
            // no credit for a stream whose body is complete: the peer sends nothing more on it
            streamIncrement = remoteClosed ? 0 : receiveWindow.consume(n);
            connectionIncrement = connection.consumeConnectionWindow(n);
        } finally {
            connection.lock.unlock();
        }
        connection.sendWindowUpdates(this, streamIncrement, connectionIncrement);
        return n;
    }

    /** True when END_STREAM arrived and every body byte was read. */
    public boolean isRequestBodyDone() {
        connection.lock.lock();
        try {
            return remoteClosed && buffered == 0;
        } finally {
            connection.lock.unlock();
        }
    }

    /**
     * The declared content-length minus the body bytes read from this stream so far (those received but
     * still buffered remain to be read, as on HTTP/1), or -1 without content-length.
     */
    public long requestBodyRemaining() {
        if (request.contentLength() < 0) {
            return -1;
        }
        connection.lock.lock();
        try {
            return request.contentLength() - (received - buffered);
        } finally {
            connection.lock.unlock();
        }
    }

    /** The request trailers (alternating name, value) once the body ended; empty when none came. */
    public List<String> trailers() {
        connection.lock.lock();
        try {
            return trailers;
        } finally {
            connection.lock.unlock();
        }
    }

    // ---------------------------------------------------------------- response

    /**
     * Writes a response head. Informational (1xx) heads may precede the final one; they are flushed at
     * once. Names are lowercased; connection-specific fields are dropped; {@code contentLength >= 0}
     * replaces any content-length field. The final head stays buffered unless {@code endStream}, so a
     * small body written next leaves in the same socket write.
     *
     * @throws IllegalStateException when a final head was already written
     * @throws StreamResetException when the stream was reset or the connection ended
     */
    public void writeHeaders(int status, MessageHeaders headers, long contentLength, boolean endStream)
            throws IOException {
        if (finalHeadersSent) {
            throw new IllegalStateException("response headers already written");
        }
        boolean informational = status < 200;
        if (informational && endStream) {
            throw new IllegalArgumentException("a 1xx response cannot end the stream");
        }
        finalHeadersSent = !informational;
        writeFieldBlock(status, headers, contentLength, endStream, informational || endStream);
    }

    /**
     * Writes response body bytes as DATA frames of at most the peer's frame size, waiting for flow-control
     * credit. Waiting longer than the write timeout without progress resets the stream with CANCEL.
     *
     * @throws IllegalStateException before the final response head
     * @throws StreamResetException when the stream was reset or the connection ended
     * @throws SocketTimeoutException when the peer granted no credit within the write timeout
     */
    public void writeData(byte[] b, int off, int len, boolean endStream) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (!finalHeadersSent) {
            throw new IllegalStateException("writeData before the response headers");
        }
        if (len == 0) {
            if (endStream) {
                endStream();
            }
            return;
        }
        while (len > 0) {
            int n = connection.reserveSendWindow(this, Math.min(len, writer.maxDataFrame()));
            boolean last = endStream && n == len;
            if (last) {
                connection.localEnded(this);
            }
            writer.lock();
            try {
                checkOutputOpen();
                writer.data(id, b, off, n, last);
                if (last) {
                    outputClosed = true;
                    writer.requestFlush();
                }
            } finally {
                writer.unlock();
            }
            off += n;
            len -= n;
        }
    }

    /** Writes the remaining bytes of {@code data} as with {@link #writeData(byte[], int, int, boolean)}. */
    public void writeData(ByteBuffer data, boolean endStream) throws IOException {
        if (data.hasArray()) {
            int n = data.remaining();
            writeData(data.array(), data.arrayOffset() + data.position(), n, endStream);
            data.position(data.position() + n);
            return;
        }
        byte[] chunk = new byte[Math.min(data.remaining(), FrameWriter.MAX_DATA_FRAME)];
        if (!data.hasRemaining()) {
            writeData(chunk, 0, 0, endStream);
        }
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            writeData(chunk, 0, n, endStream && !data.hasRemaining());
        }
    }

    /** Ends the response with a trailer section (HEADERS with END_STREAM); empty trailers end it with DATA. */
    public void writeTrailers(MessageHeaders trailers) throws IOException {
        if (!finalHeadersSent) {
            throw new IllegalStateException("trailers before the response headers");
        }
        if (trailers == null || trailers.isEmpty()) {
            endStream();
            return;
        }
        writeFieldBlock(-1, trailers, -1, true, true);
    }

    /** Ends the response with an empty DATA frame carrying END_STREAM, unless it has already ended. */
    public void endStream() throws IOException {
        if (!finalHeadersSent) {
            throw new IllegalStateException("endStream before the response headers");
        }
        connection.localEnded(this);
        writer.lock();
        try {
            if (outputClosed) {
                return;
            }
            writer.data(id, EMPTY, 0, 0, true);
            outputClosed = true;
            writer.requestFlush();
        } finally {
            writer.unlock();
        }
    }

    /** Pushes everything written so far to the socket. */
    public void flush() throws IOException {
        writer.flush();
    }

    /** Resets the stream from our side (RST_STREAM {@code code}); later I/O on it fails. */
    public void reset(ErrorCode code) {
        connection.resetByHandler(this, code);
    }

    /** True once the stream was reset (by either side) or the connection ended. */
    public boolean isReset() {
        connection.lock.lock();
        try {
            return resetCode != null || connectionEnded;
        } finally {
            connection.lock.unlock();
        }
    }

    /**
     * Adds a listener that runs once when the peer resets the stream or the connection ends before the
     * stream closed; at once (on this thread) when that already happened. Listeners run on the
     * connection's reader thread and must not block.
     */
    public void onReset(Runnable listener) {
        boolean runNow;
        connection.lock.lock();
        try {
            runNow = listenersRan;
            if (!runNow) {
                if (resetListeners == null) {
                    resetListeners = new ArrayList<>(2);
                }
                resetListeners.add(listener);
            }
        } finally {
            connection.lock.unlock();
        }
        if (runNow) {
            listener.run();
        }
    }

    // ---------------------------------------------------------------- engine side

    private void writeFieldBlock(int status, MessageHeaders headers, long contentLength, boolean endStream,
            boolean flush) throws IOException {
        if (endStream) {
            connection.localEnded(this);
        }
        writer.lock();
        try {
            checkOutputOpen();
            HpackEncoder encoder = writer.encoder();
            encoder.startBlock();
            if (status >= 0) {
                encoder.status(status);
            }
            if (headers != null) {
                for (int i = 0, n = headers.size(); i < n; i++) {
                    String name = lowercase(headers.nameAt(i));
                    if (RequestHeaderCollector.isConnectionSpecific(name)
                            || (contentLength >= 0 && name.equals("content-length"))) {
                        continue;
                    }
                    encoder.header(name, headers.valueAt(i));
                }
            }
            if (contentLength >= 0) {
                encoder.header("content-length", Long.toString(contentLength));
            }
            writer.headers(id, encoder.blockArray(), encoder.blockLength(), endStream);
            if (endStream) {
                outputClosed = true;
            }
            if (flush) {
                writer.requestFlush();
            }
        } finally {
            writer.unlock();
        }
    }

    private static String lowercase(String name) {
        // the names every response carries, without a new string each time
        switch (name) {
            case "Date": return "date";
            case "Server": return "server";
            case "Content-Type": return "content-type";
            case "Content-Length": return "content-length";
            case "Cache-Control": return "cache-control";
            case "Last-Modified": return "last-modified";
            case "ETag": return "etag";
            case "Location": return "location";
            case "Accept-Ranges": return "accept-ranges";
            default: break;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }


    /** Writer lock held. */
    private void checkOutputOpen() throws StreamResetException {
        if (outputClosed) {
            throw new StreamResetException(ErrorCode.STREAM_CLOSED, "stream " + id + " already ended or reset");
        }
    }

    /** State lock held. */
    void throwIfReset() throws StreamResetException {
        if (resetCode != null) {
            throw new StreamResetException(resetCode, "stream " + id + " reset (" + resetCode + ")");
        }
        if (connectionEnded) {
            throw new StreamResetException(null, "connection ended");
        }
    }

    /** Buffers a copy of request body bytes. State lock held; the window was checked. */
    void enqueue(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        chunks.addLast(copy);
        buffered += len;
        readable.signal();
    }

    /** Drops buffered body bytes; returns how many, so the caller can return their connection credit. State lock held. */
    int discard() {
        int n = buffered;
        chunks.clear();
        headOffset = 0;
        buffered = 0;
        return n;
    }

    /** Sets the trailers. State lock held. */
    void trailers(List<String> fields) {
        this.trailers = fields;
    }

    /**
     * Takes the reset listeners to run (once), or {@code null}. State lock held; run them after
     * releasing it.
     */
    List<Runnable> takeResetListeners() {
        if (listenersRan) {
            return null;
        }
        listenersRan = true;
        List<Runnable> list = resetListeners;
        resetListeners = null;
        return list;
    }

    @Override
    public String toString() {
        return "Http2Stream[" + id + " " + request.method() + " " + request.path() + "]";
    }
}
