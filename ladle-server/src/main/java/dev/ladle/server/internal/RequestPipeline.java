package dev.ladle.server.internal;

import dev.ladle.auth.AuthDomain;
import dev.ladle.http.Forms;
import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.Limits;
import dev.ladle.server.ServerCallback;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * What happens to a request, step by step, in the order of libsoup's {@code SoupServer}:
 * started → headers → auth → early handler → 100-continue → body → read → 404 → handler → WebSocket →
 * 500 → response → finished (or aborted). Once a step sets a status, later handler steps are skipped.
 * Protocol errors are {@link HttpException}s thrown where they are found and answered in one place.
 */
final class RequestPipeline {
    private static final System.Logger LOG = System.getLogger(RequestPipeline.class.getName());

    /** The first array of a kept body with a Content-Length; later ones are {@link #MAX_BODY_BLOCK}. */
    private static final int FIRST_BODY_BLOCK = 64 * 1024;
    private static final int FIRST_CHUNKED_BLOCK = 16 * 1024;
    /**
     * The largest array a kept body is read into: half of G1's smallest region (1 MiB) is where an
     * array becomes a humongous object, which G1 allocates region by region and reclaims late, so a
     * stream of large bodies in larger arrays grows the heap to its cap.
     */
    private static final int MAX_BODY_BLOCK = 256 * 1024;
    /**
     * Kept bodies with a Content-Length up to this size become one exact array once their first block
     * arrived (which {@code flatten()} returns without a copy); larger ones stay in blocks.
     */
    private static final int EXACT_BODY_LIMIT = MAX_BODY_BLOCK;
    /** Scratch space for streamed and discarded bodies: large reads mean few system calls. */
    private static final int BODY_BUFFER_SIZE = 64 * 1024;

    private final MessageIo io;
    private final ServerState state;
    /** Scratch space for request bodies, reused across requests; made on the first body, dropped when idle. */
    private volatile byte[] bodyBuffer;

    RequestPipeline(MessageIo io) {
        this.io = io;
        this.state = io.state();
    }

    /**
     * Takes one request through every step.
     *
     * @param started true when the request-started event already fired (TLS connections)
     * @return true when the connection may serve another request
     */
    boolean process(Exchange ex, boolean started) throws IOException {
        Limits limits = state.limits();
        if (!started) {
            state.events.requestStarted(ex);
        }
        try {
            readHeaders(ex, limits);
            HandlerEntry entry = gotHeaders(ex);
            authenticate(ex);
            runEarlyHandler(ex, entry);
            checkBodySize(ex, limits);
            reserveBodyMemory(ex, limits);
            boolean bodyWanted = expectContinue(ex);
            readBody(ex, limits, bodyWanted);
            state.events.requestRead(ex);
            if (ex.getStatus() == 0 && entry == null) {
                ex.setStatusInternal(Status.NOT_FOUND);
            }
            runHandler(ex, entry);
            WebSocketUpgrade upgrade = webSocketStep(ex, entry);
            if (ex.paused) {
                io.awaitUnpaused(ex);
            }
            ResponseDeadlines.unpaused(ex);
            if (ex.getStatus() == 0 && !ex.headersWritten) {
                ex.setStatusInternal(Status.INTERNAL_SERVER_ERROR);
            }
            return respond(ex, entry, upgrade);
        } catch (HttpException e) {
            return answerError(ex, e);
        } catch (IOException e) {
            aborted(ex, e);
            return false;
        } finally {
            exchangeEnded(ex);
        }
    }

    /** What an exchange holds of the server's shared resources goes back: its body memory, its response timer, its files. */
    private void exchangeEnded(Exchange ex) {
        state.counters.bodyBudget.release(ex.bodyBytesReserved);
        ex.bodyBytesReserved = 0;
        state.responseDeadlines.exchangeEnded(ex);
        MessageBody response = ex.responseBodyIfCreated();
        if (response != null) {
            // the files a response body took over are closed, sent or not
            BodyAccess.get().release(response);
        }
        if (ex.pooledBlocks != null) {
            givePooledBlocksBack(ex);
        }
    }

    /**
     * The request body's pool blocks go back (those application code saw are dropped), and the bodies
     * that held views of them are emptied, so that a body kept past its exchange never shows the bytes
     * of a later request.
     */
    private void givePooledBlocksBack(Exchange ex) {
        BodyAccess access = BodyAccess.get();
        MessageBody request = ex.requestBodyIfCreated();
        if (request != null) {
            access.releasePooled(request);
        }
        MessageBody response = ex.responseBodyIfCreated();
        if (response != null) {
            access.releasePooled(response);
        }
        for (PooledBlock block : ex.pooledBlocks) {
            state.bodyBuffers.giveBack(block);
        }
        ex.pooledBlocks = null;
    }

    // ---- steps -----------------------------------------------------------------------------------

    private void readHeaders(Exchange ex, Limits limits) throws IOException, HttpException {
        io.readHead(ex, limits);
        checkHead(ex);
    }

    /** The checks every protocol shares, once the head is read: expectations and the target. */
    private void checkHead(Exchange ex) throws HttpException {
        if (ex.expect != null) {
            for (String item : ex.expect.split(",")) {
                String token = item.trim();
                if (!token.isEmpty() && !token.equalsIgnoreCase("100-continue")) {
                    throw new HttpException(Status.EXPECTATION_FAILED, "unsupported expectation");
                }
            }
        }
        RequestTarget target = RequestTarget.parse(ex.method, ex.target, state.rawPaths());
        ex.requestTarget = target;
        if (target.scheme() != null) {
            boolean secure = io.isSecure();
            boolean http = state.httpAliases().contains(target.scheme());
            boolean https = state.httpsAliases().contains(target.scheme());
            if (!http && !https || http && secure || https && !secure) {
                throw new HttpException(Status.BAD_REQUEST, "URI scheme does not match the connection", false);
            }
        }
    }

    /**
     * got-headers: Date, Server and Strict-Transport-Security on the response, then the GotHeaders
     * event; returns the handler entry.
     */
    private HandlerEntry gotHeaders(Exchange ex) {
        ex.appendServerFields();
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.gotHeaders);
        }
        return state.handlers.lookup(ex.requestTarget.path());
    }

    /** Auth domains in order: the first that covers and accepts wins; otherwise every covering domain challenges. */
    private void authenticate(Exchange ex) {
        List<AuthDomain> domains = state.authDomains;
        if (domains.isEmpty() || ex.getStatus() != 0) {
            return;
        }
        AuthDomain current = null;
        try {
            boolean covered = false;
            for (AuthDomain domain : domains) {
                current = domain;
                if (domain.covers(ex)) {
                    covered = true;
                    String user = domain.accepts(ex);
                    if (user != null) {
                        ex.setAuth(user, domain);
                        return;
                    }
                }
            }
            if (covered) {
                for (AuthDomain domain : domains) {
                    current = domain;
                    if (domain.covers(ex)) {
                        domain.challenge(ex);
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // never let a broken password store wave a request through; name nothing from its headers
            LOG.log(System.Logger.Level.WARNING, "auth domain \"" + current.getRealm() + "\" failed on a "
                    + ex.method + " request: " + e.getClass().getName());
            ex.setStatusInternal(Status.INTERNAL_SERVER_ERROR);
            ex.closeAfterResponse = !ex.bodyReader.isDone();
        }
    }

    private void runEarlyHandler(Exchange ex, HandlerEntry entry) throws IOException, HttpException {
        if (ex.getStatus() == 0 && entry != null && entry.early() != null) {
            invoke(entry.early(), ex);
            if (ex.paused) {
                io.awaitUnpaused(ex);
            }
            ResponseDeadlines.unpaused(ex);
        }
    }

    /** A declared body larger than the limit is refused before it is read (and before any 100 Continue). */
    private void checkBodySize(Exchange ex, Limits limits) {
        if (ex.getStatus() == 0 && ex.declaredLength > limits.getMaxRequestBodySize() && accumulating(ex)) {
            ex.setStatusInternal(Status.CONTENT_TOO_LARGE);
            ex.closeAfterResponse = true;
        }
    }

    /**
     * A body the server will accumulate is counted against the server's body memory budget before any
     * of it is read: a declared length that does not fit is answered 503 before the body (and before any
     * 100 Continue). A body without a declared length is counted block by block as it arrives.
     */
    private void reserveBodyMemory(Exchange ex, Limits limits) throws HttpException {
        if (ex.getStatus() == 0 && ex.declaredLength > 0 && !ex.bodyReader.isDone() && accumulating(ex)) {
            reserveBodyMemory(ex, ex.declaredLength, limits);
        }
    }

    private void reserveBodyMemory(Exchange ex, long bytes, Limits limits) throws HttpException {
        if (!state.counters.bodyBudget.tryReserve(bytes, limits.getRequestBodyMemoryBudget())) {
            state.counters.refusedByBodyBudget.increment();
            throw new HttpException(Status.SERVICE_UNAVAILABLE, "no memory for the request body now");
        }
        ex.bodyBytesReserved += bytes;
    }

    private static boolean accumulating(Exchange ex) {
        MessageBody body = ex.requestBodyIfCreated();
        return !ex.bodyStreamTaken && (body == null || body.getAccumulate());
    }

    /**
     * {@code Expect: 100-continue}: a status set by now is the final answer and the body is not read;
     * otherwise {@code 100 Continue} goes out before the body is read.
     *
     * @return false when the body must not be read
     */
    private boolean expectContinue(Exchange ex) throws IOException {
        boolean hasBody = !ex.bodyReader.isDone();
        if (ex.expect == null || ex.version == HttpVersion.HTTP_1_0 || !hasBody) {
            return true;
        }
        if (ex.getStatus() != 0) {
            // The client may send the body anyway; it must never be parsed as a request (libsoup does).
            ex.closeAfterResponse = true;
            return false;
        }
        sendContinue(ex);
        return true;
    }

    private void readBody(Exchange ex, Limits limits, boolean wanted) throws IOException, HttpException {
        BodyReader reader = ex.bodyReader;
        if (!wanted) {
            return;
        }
        if (ex.bodyStreamTaken) {
            return;
        }
        if (reader.isDone()) {
            gotBody(ex);
            return;
        }
        if (ex.getStatus() != 0) {
            discardBody(ex, limits);
            return;
        }
        MessageBody body = ex.getRequestBody();
        MessageEvents events = ex.eventsIfAny();
        setBodyTimeout(limits);
        if (body.getAccumulate()) {
            accumulateBody(ex, reader, body, limits, events);
        } else if (reader.readsIntoDirectBuffers() && reader.remaining() > BODY_BUFFER_SIZE
                && state.counters.bodyBudget.tryReserve(BodyBufferPool.BLOCK_SIZE, limits.getRequestBodyMemoryBudget())) {
            // the block is counted against the body memory budget like a kept body; without room, the scratch array
            ex.bodyBytesReserved += BodyBufferPool.BLOCK_SIZE;
            passThroughPooled(ex, reader, body, events);
        } else {
            byte[] bodyBuffer = bodyBuffer();
            int n;
            while ((n = readBodyBytes(reader, bodyBuffer, 0, bodyBuffer.length)) >= 0) {
                ByteBuffer chunk = ByteBuffer.wrap(bodyBuffer, 0, n);
                body.gotChunk(chunk);
                if (events != null) {
                    events.chunk(chunk);
                }
            }
        }
        gotBody(ex);
    }

    /**
     * Reads a body to keep straight into arrays the body then owns: no scratch copy, and a body of up to
     * 256 KiB (sized by its Content-Length) is one array that {@code flatten()} returns as is; a larger
     * one stays in arrays of 256 KiB, never humongous, which a handler can pass on without a copy
     * ({@code getChunk}, {@code appendOwned}). The first array is at most 64 KiB and the rest come as data
     * actually arrives, so a client that declares a large body and sends nothing costs at most that.
     */
    private void accumulateBody(Exchange ex, BodyReader reader, MessageBody body, Limits limits, MessageEvents events)
            throws IOException, HttpException {
        long max = limits.getMaxRequestBodySize();
        long declared = reader.remaining();
        if (declared > FIRST_BODY_BLOCK && reader.readsIntoDirectBuffers()) {
            accumulatePooled(ex, reader, body, max, events);
            return;
        }
        // a declared length was counted whole against the body memory budget; blocks of an undeclared one are counted here
        boolean countBlocks = ex.bodyBytesReserved == 0;
        int size = (int) (declared > 0 ? Math.min(declared, FIRST_BODY_BLOCK) : FIRST_CHUNKED_BLOCK);
        if (countBlocks) {
            reserveBodyMemory(ex, size, limits);
        }
        byte[] block = new byte[size];
        int filled = fill(reader, block, 0, body, max, events);
        if (declared > block.length && declared <= EXACT_BODY_LIMIT && filled == block.length) {
            // The client sent the first block, so it means it: one array of the declared size, read in
            // place, that flatten() will hand out without copying.
            block = java.util.Arrays.copyOf(block, (int) declared);
            filled = fill(reader, block, filled, body, max, events);
        }
        while (true) {
            if (filled > 0) {
                body.appendOwned(filled == block.length ? block : java.util.Arrays.copyOf(block, filled));
            }
            if (filled < block.length || reader.isDone()) {
                return;
            }
            long remaining = reader.remaining();
            // a declared body whose first block came is meant: whole blocks; an undeclared one doubles
            size = (int) (remaining > 0 ? Math.min(remaining, MAX_BODY_BLOCK) : Math.min(size * 2L, MAX_BODY_BLOCK));
            if (countBlocks) {
                reserveBodyMemory(ex, size, limits);
            }
            block = new byte[size];
            filled = fill(reader, block, 0, body, max, events);
        }
    }

    /**
     * Reads a large body with a Content-Length on a plain connection into blocks of the server's buffer
     * pool, straight from the socket: no copy into the heap, and a handler that passes the body on
     * ({@code appendShared}) sends it from there. A block is taken only once the one before is full, so a
     * client that declares a large body and sends nothing holds at most one. The blocks go back when the
     * exchange ends.
     */
    private void accumulatePooled(Exchange ex, BodyReader reader, MessageBody body, long max, MessageEvents events)
            throws IOException, HttpException {
        BodyAccess access = BodyAccess.get();
        ex.pooledBlocks = new java.util.ArrayList<>(8);
        while (!reader.isDone()) {
            PooledBlock block = state.bodyBuffers.take();
            ex.pooledBlocks.add(block);
            ByteBuffer buffer = block.buffer();
            while (buffer.hasRemaining() && !reader.isDone()) {
                int start = buffer.position();
                int n = readBodyBytes(reader, buffer);
                if (body.length() + buffer.position() > max) {
                    throw new HttpException(Status.CONTENT_TOO_LARGE, "request body larger than " + max + " bytes");
                }
                if (events != null && n > 0) {
                    events.chunk(buffer.duplicate().flip().position(start));
                }
            }
            access.appendPooled(body, buffer.flip(), block);
        }
    }

    /**
     * A large body nobody keeps (GotChunk listeners only), on a plain connection: read straight from the
     * socket into one block of the buffer pool, reused for every piece, which the listeners see in place.
     */
    private void passThroughPooled(Exchange ex, BodyReader reader, MessageBody body, MessageEvents events)
            throws IOException, HttpException {
        PooledBlock block = state.bodyBuffers.take();
        ex.pooledBlocks = new java.util.ArrayList<>(1);
        ex.pooledBlocks.add(block);
        ByteBuffer buffer = block.buffer();
        while (!reader.isDone()) {
            buffer.clear();
            if (readBodyBytes(reader, buffer) < 0) {
                break;
            }
            buffer.flip();
            body.gotChunk(buffer);
            if (events != null) {
                events.chunk(buffer);
            }
        }
    }

    private static int readBodyBytes(BodyReader reader, ByteBuffer dst) throws IOException, HttpException {
        try {
            return reader.read(dst);
        } catch (SocketTimeoutException e) {
            throw new HttpException(Status.REQUEST_TIMEOUT, "request body not received in time");
        }
    }

    /**
     * Reads body bytes into {@code block} from {@code from} until it is full or the body ends, checking
     * the size limit and firing GotChunk per read; returns the bytes now in the block.
     */
    private static int fill(BodyReader reader, byte[] block, int from, MessageBody body, long max, MessageEvents events)
            throws IOException, HttpException {
        int filled = from;
        int n;
        while (filled < block.length && (n = readBodyBytes(reader, block, filled, block.length - filled)) >= 0) {
            if (body.length() + filled + n > max) {
                throw new HttpException(Status.CONTENT_TOO_LARGE, "request body larger than " + max + " bytes");
            }
            if (events != null) {
                events.chunk(ByteBuffer.wrap(block, filled, n));
            }
            filled += n;
        }
        return filled;
    }

    private byte[] bodyBuffer() {
        byte[] b = bodyBuffer;
        if (b == null) {
            b = new byte[BODY_BUFFER_SIZE];
            bodyBuffer = b;
        }
        return b;
    }

    /** Lets the body scratch space go; called by the watchdog for a connection that stays idle. */
    void dropBodyBuffer() {
        bodyBuffer = null;
    }

    private void setBodyTimeout(Limits limits) throws IOException {
        io.setBodyReadTimeout((int) Math.min(Integer.MAX_VALUE, limits.getBodyReadTimeout().toMillis()));
    }

    private static int readBodyBytes(BodyReader reader, byte[] b, int off, int len) throws IOException, HttpException {
        try {
            return reader.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw new HttpException(Status.REQUEST_TIMEOUT, "request body not received in time");
        }
    }

    /** Reads the body for a handler's request body stream, firing the body events as it goes. */
    int readBodyForStream(Exchange ex, byte[] b, int off, int len) throws IOException, HttpException {
        BodyReader reader = ex.bodyReader;
        if (reader.isDone()) {
            return -1;
        }
        if (ex.expect != null && ex.version != HttpVersion.HTTP_1_0 && ex.getStatus() == 0) {
            // an early handler reading the body itself needs the 100 Continue the client waits for
            sendContinue(ex);
        }
        setBodyTimeout(state.limits());
        int n = readBodyBytes(reader, b, off, len);
        ResponseTimer timer = ex.responseTimer;
        if (timer != null) {
            // a handler consuming a long upload is working, not stuck
            timer.progress();
        }
        MessageEvents events = ex.eventsIfAny();
        if (n > 0 && events != null) {
            events.chunk(ByteBuffer.wrap(b, off, n));
        }
        if (n < 0) {
            gotBody(ex);
        }
        return n;
    }

    /** After an answer given before the body: read a small body away to keep the connection, else close. */
    private void discardBody(Exchange ex, Limits limits) throws IOException, HttpException {
        BodyReader reader = ex.bodyReader;
        if (!io.unreadBodyBlocksNextRequest()) {
            return;
        }
        long remaining = reader.remaining();
        // a response that closes the connection anyway (413) must not wait for a body it will not use
        if (ex.closeAfterResponse || remaining < 0 || remaining > limits.getMaxDrainedBodySize()) {
            ex.closeAfterResponse = true;
            return;
        }
        setBodyTimeout(limits);
        byte[] bodyBuffer = bodyBuffer();
        while (readBodyBytes(reader, bodyBuffer, 0, bodyBuffer.length) >= 0) {
            // discarded
        }
    }

    private void gotBody(Exchange ex) {
        MessageBody requestBody = ex.requestBodyIfCreated();
        if (requestBody != null) {
            requestBody.complete();
        }
        ex.bodyStepDone = true;
        List<String> trailers = ex.bodyReader.trailers();
        if (!trailers.isEmpty()) {
            MessageHeaders headers = ex.getRequestHeaders();
            for (int i = 0; i < trailers.size(); i += 2) {
                if (!isFramingField(trailers.get(i))) {
                    headers.append(trailers.get(i), trailers.get(i + 1));
                }
            }
        }
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.gotBody);
        }
    }

    /** Fields a trailer may not carry (RFC 9110 section 6.5.1): they would change how the message is read. */
    private static boolean isFramingField(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Connection")
                || name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Expect")
                || name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Trailer");
    }

    private void runHandler(Exchange ex, HandlerEntry entry) throws IOException, HttpException {
        if (ex.getStatus() == 0 && entry != null && entry.normal() != null) {
            invoke(entry.normal(), ex);
        }
    }

    private WebSocketUpgrade webSocketStep(Exchange ex, HandlerEntry entry) {
        if (ex.getStatus() != 0 || entry == null || entry.webSocket() == null || ex.headersWritten) {
            return null;
        }
        return WebSocketUpgrade.check(ex, entry.webSocket(), state.webSocketExtensions);
    }

    /** Calls a handler; an exception becomes a 500 (when nothing was sent yet) and one log line. */
    private void invoke(ServerCallback callback, Exchange ex) throws IOException, HttpException {
        RequestTarget target = ex.requestTarget;
        Map<String, String> query;
        try {
            query = target.query() == null ? null : Forms.decode(target.query());
        } catch (IllegalArgumentException e) {
            ex.setStatusInternal(Status.BAD_REQUEST);
            ex.closeAfterResponse = !ex.bodyReader.isDone();
            return;
        }
        ResponseTimer timer = state.responseDeadlines.handlerStarts(ex);
        try {
            callback.handle(state.server, ex, target.path(), query);
        } catch (IOException e) {
            if (ex.timedOut()) {
                throw answeredByTimeout();
            }
            if (ex.stolen || io.outputFailed() || ex.bodyInputFailed) {
                // the client left while the handler was writing to it or reading its body: an aborted
                // request, not a bug
                throw e;
            }
            if (ex.bodyError != null && !ex.headersWritten) {
                // the body the handler read through its stream was malformed: the client's fault
                throw ex.bodyError;
            }
            handlerFailed(ex, e);
        } catch (Exception | LinkageError | AssertionError e) {
            if (ex.timedOut()) {
                // most likely the interrupt the timeout sent: the answer went out already
                throw answeredByTimeout();
            }
            if (ex.bodyInputFailed) {
                throw new IOException("the client left while the handler read the request body", e);
            }
            handlerFailed(ex, e);
        } finally {
            ResponseDeadlines.handlerReturned(ex, timer);
        }
    }

    /** What ends an exchange the response timeout answered, once its handler is back: an abort. */
    private static IOException answeredByTimeout() {
        return new java.io.EOFException("the response timeout answered the request");
    }

    private void handlerFailed(Exchange ex, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "handler for " + ex.method + " " + ex.target + " failed", e);
        ex.paused = false;
        if (!ex.headersWritten) {
            ex.setStatusInternal(Status.INTERNAL_SERVER_ERROR);
            MessageBody body = ex.responseBodyIfCreated();
            if (body != null) {
                body.truncate();
            }
            ex.getResponseHeaders().remove("Content-Type");
            ex.getResponseHeaders().remove("Content-Length");
            ex.getResponseHeaders().remove("Transfer-Encoding");
        } else {
            // too late for a 500: the response is cut where it is (see respond)
            ex.closeAfterResponse = true;
            ex.responseCut = true;
        }
    }

    // ---- the response ----------------------------------------------------------------------------

    /** Whether the request side allows another request on this connection. */
    private boolean keepAliveAllowed(Exchange ex) {
        if (ex.closeAfterResponse || ex.connectionClose || !io.mayKeepAlive()) {
            return false;
        }
        if (ex.version == HttpVersion.HTTP_1_0 && !ex.connectionKeepAlive) {
            return false;
        }
        return ex.bodyReader == null || ex.bodyReader.isDone() || drainable(ex);
    }

    /** A body a handler streamed but did not finish reading can be read away if it is small. */
    private boolean drainable(Exchange ex) {
        long remaining = ex.bodyReader.remaining();
        return ex.bodyStreamTaken && remaining >= 0 && remaining <= state.limits().getMaxDrainedBodySize();
    }

    /** Sends the head of a response whose body a handler streams through its OutputStream. */
    ResponseWriter.Framing commitStreamingHead(Exchange ex) throws IOException {
        if (!ex.claimHead()) {
            throw answeredByTimeout();
        }
        if (ex.getStatus() == 0) {
            ex.setStatusInternal(Status.OK);
        }
        return io.writeHead(ex, keepAliveAllowed(ex));
    }

    private boolean respond(Exchange ex, HandlerEntry entry, WebSocketUpgrade upgrade) throws IOException, HttpException {
        if (ex.stolen) {
            return false;
        }
        ResponseBodyStream stream = ex.responseStream;
        if (io.outputFailed()) {
            throw new java.io.EOFException("the client left while the response was written");
        }
        if (ex.responseCut) {
            // Ending the body (a last chunk, END_STREAM) would pass a cut response off as whole: end the
            // exchange instead, which closes an HTTP/1 connection and resets an HTTP/2 stream.
            throw new IOException("the handler failed after the response head was sent");
        }
        if (stream != null && ex.headersWritten) {
            if (!stream.isClosed()) {
                stream.close();
            }
        } else {
            if (stream != null) {
                ex.responseStream = null;
            }
            if (!ex.claimHead()) {
                throw answeredByTimeout();
            }
            RangeResponder.apply(ex);
            ResponseWriter.Framing framing = io.writeHead(ex, keepAliveAllowed(ex));
            BodySender.send(ex, io, framing);
        }
        if (ex.stolen) {
            return false;
        }
        if (!ex.closeAfterResponse && ex.bodyStreamTaken && !ex.bodyReader.isDone()) {
            discardBody(ex, state.limits());
        }
        if (!io.hasBufferedRequest() || ex.closeAfterResponse || upgrade != null) {
            io.flush();
        }
        finished(ex);
        if (upgrade != null && upgrade.accepted(ex)) {
            io.startWebSocket(ex, upgrade);
            return false;
        }
        return !ex.closeAfterResponse;
    }

    private void finished(Exchange ex) {
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.finished);
        }
        state.events.requestFinished(ex);
    }

    private void aborted(Exchange ex, IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "request aborted: {0}", e.toString());
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.finished);
        }
        state.events.requestAborted(ex);
    }

    /** Answers a protocol violation in one place: an error response (if nothing was sent yet), logged once. */
    private boolean answerError(Exchange ex, HttpException e) throws IOException {
        LOG.log(System.Logger.Level.DEBUG, "rejected request from {0}: {1} {2}",
                io.remoteAddress(), e.status(), e.getMessage());
        if (ex.headersWritten || !ex.claimHead()) {
            aborted(ex, new IOException(e.getMessage()));
            return false;
        }
        boolean close = e.closeConnection() || ex.bodyReader != null && !ex.bodyReader.isDone() || !io.mayKeepAlive()
                || ex.connectionClose || ex.version == HttpVersion.HTTP_1_0 && !ex.connectionKeepAlive;
        try {
            io.writeError(ex, e.status(), e.getMessage(), close);
            io.flush();
        } catch (IOException io) {
            aborted(ex, io);
            return false;
        }
        finished(ex);
        return !close;
    }

    private void sendContinue(Exchange ex) throws IOException {
        if (!ex.continueSent) {
            ex.continueSent = true;
            io.writeContinue(ex);
        }
    }
}
