package dev.ladle.server.internal;

import dev.ladle.auth.AuthDomain;
import dev.ladle.http.Forms;
import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageBody;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.server.Limits;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.internal.jfr.RequestEvent;
import java.io.IOException;
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

    private final MessageIo io;
    private final ServerState state;
    /** Reads the request bodies the server keeps or hands to listeners, and gives back their memory. */
    private final RequestBodyCollector bodies;

    RequestPipeline(MessageIo io) {
        this.io = io;
        this.state = io.state();
        this.bodies = new RequestBodyCollector(state);
    }

    /**
     * Takes one request through every step.
     *
     * @param started true when the request-started event already fired (TLS connections)
     * @return true when the connection may serve another request
     */
    boolean process(Exchange ex, boolean started) throws IOException {
        Limits limits = state.limits();
        ex.recording = RequestEvent.beginIfEnabled();
        if (!started) {
            state.events.requestStarted(ex);
        }
        try {
            readHeaders(ex, limits);
            HandlerEntry entry = gotHeaders(ex);
            authenticate(ex);
            runEarlyHandler(ex, entry);
            askHandlerAboutBody(ex, entry);
            checkBodySize(ex, limits);
            reserveBodyMemory(ex, limits);
            boolean bodyWanted = expectContinue(ex);
            readBody(ex, limits, bodyWanted);
            state.events.requestRead(ex);
            if (ex.getStatus() == 0 && entry == null) {
                ex.setStatusInternal(Status.NOT_FOUND);
            }
            boolean handlerRan = runHandler(ex, entry);
            bodyLeftByHandler(ex);
            WebSocketUpgrade upgrade = webSocketStep(ex, entry);
            boolean wasPaused = ex.paused;
            if (wasPaused) {
                io.awaitUnpaused(ex);
            }
            ResponseDeadlines.unpaused(ex);
            if (ex.getStatus() == 0 && !ex.headersWritten) {
                // after a response timeout the client got the server's 503, not the 500 the warning names
                if (handlerRan && !ex.timedOut()) {
                    state.warnings.handlerSetNoStatus(entry.path(), ex.method, ex.requestTarget.path(), wasPaused);
                }
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
        BodyCompressor compressor = ex.compressor;
        if (compressor != null) {
            // the deflater's native memory goes back now, not when a collector finds it
            ex.compressor = null;
            compressor.end();
        }
        bodies.exchangeEnded(ex);
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
        HandlerEntry entry = state.handlers.lookup(ex.requestTarget.path());
        ex.handlerPath = entry == null ? null : entry.path();
        return entry;
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

    /**
     * Asks the normal handler whether it reads this request's body itself
     * ({@link ServerCallback#streamsRequestBody}, a router's streaming route): then the body step leaves
     * the body unread, uncounted and unlimited, and its 100 Continue goes out when the handler first
     * reads, so that a handler (or a router's before filter) that refuses the request never asks for it.
     */
    private void askHandlerAboutBody(Exchange ex, HandlerEntry entry) {
        if (ex.getStatus() != 0 || entry == null || entry.normal() == null || ex.bodyStreamTaken) {
            return;
        }
        try {
            ex.bodyLeftToHandler = entry.normal().streamsRequestBody(ex, ex.requestTarget.path());
        } catch (RuntimeException | LinkageError e) {
            handlerFailed(ex, e);
        }
    }

    /**
     * After a handler that said it reads the body: what it left unread is treated as an early handler's
     * stream left unfinished (a small rest read away, else the connection closed), and a client still
     * waiting for its 100 Continue is not waited for.
     */
    private static void bodyLeftByHandler(Exchange ex) {
        if (!ex.bodyLeftToHandler || ex.bodyReader.isDone()) {
            return;
        }
        ex.bodyStreamTaken = true;
        if (ex.expect != null && ex.version != HttpVersion.HTTP_1_0 && !ex.continueSent) {
            ex.closeAfterResponse = true;
        }
    }

    /** A declared body larger than the limit is refused before it is read (and before any 100 Continue). */
    private void checkBodySize(Exchange ex, Limits limits) {
        if (ex.getStatus() == 0 && ex.declaredLength > limits.getMaxRequestBodySize() && accumulating(ex)) {
            ex.setStatusInternal(Status.CONTENT_TOO_LARGE);
            ex.getResponseHeaders().replace("Content-Type", "text/plain; charset=utf-8");
            ex.setResponseBodyInternal((Status.phrase(Status.CONTENT_TOO_LARGE) + ": "
                    + RequestBodyCollector.tooLarge(limits.getMaxRequestBodySize()) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
            bodies.reserve(ex, ex.declaredLength, limits);
        }
    }

    private static boolean accumulating(Exchange ex) {
        MessageBody body = ex.requestBodyIfCreated();
        return !ex.bodyStreamTaken && !ex.bodyLeftToHandler && (body == null || body.getAccumulate());
    }

    /**
     * {@code Expect: 100-continue}: a status set by now is the final answer and the body is not read;
     * otherwise {@code 100 Continue} goes out before the body is read.
     *
     * @return false when the body must not be read
     */
    private boolean expectContinue(Exchange ex) throws IOException {
        boolean hasBody = !ex.bodyReader.isDone();
        if (ex.expect == null || ex.version == HttpVersion.HTTP_1_0 || !hasBody || ex.bodyLeftToHandler) {
            // a handler reading the body itself gets the 100 Continue sent when it first reads
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
        if (ex.bodyStreamTaken || ex.bodyLeftToHandler && !reader.isDone()) {
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
            bodies.keep(ex, reader, body, limits, events);
        } else {
            bodies.passOn(ex, reader, body, limits, events);
        }
        gotBody(ex);
    }

    /** Lets the body scratch space go; called by the watchdog for a connection that stays idle. */
    void dropBodyBuffer() {
        bodies.dropScratch();
    }

    private void setBodyTimeout(Limits limits) throws IOException {
        io.setBodyReadTimeout((int) Math.min(Integer.MAX_VALUE, limits.getBodyReadTimeout().toMillis()));
    }

    /** Reads the body for a handler's request body stream, firing the body events as it goes. */
    int readBodyForStream(Exchange ex, byte[] b, int off, int len) throws IOException, HttpException {
        BodyReader reader = ex.bodyReader;
        if (reader.isDone()) {
            if (!ex.bodyStepDone) {
                // the reader knew the body ended without a read returning -1: GotBody still fires, once
                gotBody(ex);
            }
            return -1;
        }
        if (ex.expect != null && ex.version != HttpVersion.HTTP_1_0 && !ex.headersWritten
                && (ex.getStatus() == 0 || ex.bodyLeftToHandler)) {
            // a handler reading the body itself needs the 100 Continue the client waits for; a streaming
            // route's handler may have set its status before it reads
            sendContinue(ex);
        }
        setBodyTimeout(state.limits());
        int n = bodies.read(reader, b, off, len);
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
        byte[] scratch = bodies.scratch();
        while (bodies.read(reader, scratch, 0, scratch.length) >= 0) {
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

    /** Runs the normal handler unless a status is set; returns true when it ran. */
    private boolean runHandler(Exchange ex, HandlerEntry entry) throws IOException, HttpException {
        if (ex.getStatus() == 0 && entry != null && entry.normal() != null) {
            invoke(entry.normal(), ex);
            return true;
        }
        return false;
    }

    private WebSocketUpgrade webSocketStep(Exchange ex, HandlerEntry entry) {
        if (ex.getStatus() != 0 || entry == null || entry.webSocket() == null || ex.headersWritten) {
            return null;
        }
        return WebSocketUpgrade.check(ex, entry.webSocket(), state.webSocketExtensions, state.drain.isDraining());
    }

    /**
     * Calls a handler; an exception becomes a 500 (when nothing was sent yet) and one log line, except a
     * {@link StatusException}, which is the handler's answer.
     */
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
            if (e instanceof StatusException answer) {
                handlerAnswered(ex, answer);
            } else {
                handlerFailed(ex, e);
            }
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
            dropResponseBody(ex);
        } else {
            cutResponse(ex);
        }
    }

    /**
     * A handler left with a {@link StatusException}: its status and reason are the response. A verdict
     * on the request, not a bug, so it is logged at debug level, without a stack trace.
     */
    private void handlerAnswered(Exchange ex, StatusException e) {
        LOG.log(System.Logger.Level.DEBUG, "handler for {0} {1} answered {2}: {3}",
                ex.method, ex.target, e.getStatus(), e.getReason());
        ex.paused = false;
        if (ex.headersWritten) {
            cutResponse(ex);
            return;
        }
        dropResponseBody(ex);
        ex.setStatusInternal(e.getStatus());
        // other headers the handler set stay: an Allow with a 405, a WWW-Authenticate with a 401
        ex.getResponseHeaders().replace("Content-Type", "text/plain; charset=utf-8");
        ex.setResponseBodyInternal((e.getReason() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Drops the body the handler had set, and the fields that described it. */
    private static void dropResponseBody(Exchange ex) {
        MessageBody body = ex.responseBodyIfCreated();
        if (body != null) {
            body.truncate();
        }
        ex.getResponseHeaders().remove("Content-Type");
        ex.getResponseHeaders().remove("Content-Length");
        ex.getResponseHeaders().remove("Transfer-Encoding");
    }

    /** Too late for an error status once the head went out: the response is cut where it is (see respond). */
    private static void cutResponse(Exchange ex) {
        ex.closeAfterResponse = true;
        ex.responseCut = true;
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
        ResponseCompression.apply(ex);
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
            ResponseCompression.apply(ex);
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
        state.counters.responseFinished(ex.getStatus());
        record(ex, false);
        state.events.requestFinished(ex);
    }

    /** Commits the exchange's Flight Recorder event, when one is being recorded. */
    private static void record(Exchange ex, boolean aborted) {
        RequestEvent event = ex.recording;
        if (event == null) {
            return;
        }
        ex.recording = null;
        event.end();
        if (event.shouldCommit()) {
            event.method = ex.method;
            event.path = ex.requestTarget != null ? ex.requestTarget.path() : ex.target;
            event.protocol = ex.version != null ? ex.version.toString() : null;
            event.status = ex.getStatus();
            event.requestContentLength = ex.declaredLength;
            event.responseContentLength = ex.responseLength;
            event.aborted = aborted;
            event.commit();
        }
    }

    private void aborted(Exchange ex, IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "request aborted: {0}", e.toString());
        MessageEvents events = ex.eventsIfAny();
        if (events != null) {
            MessageEvents.run(events.finished);
        }
        state.counters.requestsAborted.increment();
        record(ex, true);
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
