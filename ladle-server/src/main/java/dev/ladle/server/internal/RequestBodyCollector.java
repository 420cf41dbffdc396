package dev.ladle.server.internal;

import dev.ladle.http.MessageBody;
import dev.ladle.http.Status;
import dev.ladle.server.Limits;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The body step of the {@link RequestPipeline} for one connection: reads a request body the server keeps
 * into memory the body then owns, or hands it to the GotChunk listeners piece by piece, and gives that
 * memory back when the exchange ends. On a plain HTTP/1.1 connection a large body with a Content-Length
 * goes into blocks of the server's {@link BodyBufferPool}, straight from the socket; elsewhere into heap
 * arrays no larger than {@link #MAX_BODY_BLOCK}.
 */
final class RequestBodyCollector {
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
    private static final int SCRATCH_SIZE = 64 * 1024;

    private final ServerState state;
    /** Scratch space for request bodies, reused across requests; made on the first body, dropped when idle. */
    private volatile byte[] scratch;

    RequestBodyCollector(ServerState state) {
        this.state = state;
    }

    /**
     * Counts {@code bytes} of body memory for {@code ex} against the server's budget.
     *
     * @throws HttpException 503 when they do not fit
     */
    void reserve(Exchange ex, long bytes, Limits limits) throws HttpException {
        if (!state.counters.bodyBudget.tryReserve(bytes, limits.getRequestBodyMemoryBudget())) {
            state.counters.refusedByBodyBudget.increment();
            throw new HttpException(Status.SERVICE_UNAVAILABLE, "no memory for the request body now");
        }
        ex.bodyBytesReserved += bytes;
    }

    /**
     * Reads a body to keep straight into memory the body then owns: no scratch copy, and a body of up to
     * 256 KiB (sized by its Content-Length) is one array that {@code flatten()} returns as is; a larger
     * one stays in arrays of 256 KiB, never humongous, or, on a plain connection, in pool blocks. The
     * first array is at most 64 KiB and the rest come as data actually arrives, so a client that
     * declares a large body and sends nothing costs at most that.
     */
    void keep(Exchange ex, BodyReader reader, MessageBody body, Limits limits, MessageEvents events)
            throws IOException, HttpException {
        long max = limits.getMaxRequestBodySize();
        long declared = reader.remaining();
        if (declared > FIRST_BODY_BLOCK && reader.readsIntoDirectBuffers()) {
            keepPooled(ex, reader, body, max, events);
            return;
        }
        // a declared length was counted whole against the body memory budget; blocks of an undeclared one are counted here
        boolean countBlocks = ex.bodyBytesReserved == 0;
        int size = (int) (declared > 0 ? Math.min(declared, FIRST_BODY_BLOCK) : FIRST_CHUNKED_BLOCK);
        if (countBlocks) {
            reserve(ex, size, limits);
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
                reserve(ex, size, limits);
            }
            block = new byte[size];
            filled = fill(reader, block, 0, body, max, events);
        }
    }

    /**
     * Reads a large body with a Content-Length on a plain connection into blocks of the server's buffer
     * pool, straight from the socket: no copy into the heap, and a handler that passes the body on
     * ({@code appendShared}) sends it from there. A block is taken only once the one before is full, so a
     * client that declares a large body and sends nothing holds at most one.
     */
    private void keepPooled(Exchange ex, BodyReader reader, MessageBody body, long max, MessageEvents events)
            throws IOException, HttpException {
        BodyAccess access = BodyAccess.get();
        ex.pooledBlocks = new ArrayList<>(8);
        while (!reader.isDone()) {
            PooledBlock block = state.bodyBuffers.take();
            ex.pooledBlocks.add(block);
            ByteBuffer buffer = block.buffer();
            while (buffer.hasRemaining() && !reader.isDone()) {
                int start = buffer.position();
                int n = read(reader, buffer);
                if (body.length() + buffer.position() > max) {
                    throw new HttpException(Status.CONTENT_TOO_LARGE, tooLarge(max));
                }
                if (events != null && n > 0) {
                    events.chunk(buffer.duplicate().flip().position(start));
                }
            }
            access.appendPooled(body, buffer.flip(), block);
        }
    }

    /**
     * Reads a body nobody keeps, for its GotChunk listeners: a large one on a plain connection through
     * one pool block, straight from the socket (counted against the body memory budget; without room,
     * through the scratch array), any other through the scratch array.
     */
    void passOn(Exchange ex, BodyReader reader, MessageBody body, Limits limits, MessageEvents events)
            throws IOException, HttpException {
        if (reader.readsIntoDirectBuffers() && reader.remaining() > SCRATCH_SIZE
                && state.counters.bodyBudget.tryReserve(BodyBufferPool.BLOCK_SIZE, limits.getRequestBodyMemoryBudget())) {
            ex.bodyBytesReserved += BodyBufferPool.BLOCK_SIZE;
            passOnPooled(ex, reader, body, events);
            return;
        }
        byte[] buffer = scratch();
        int n;
        while ((n = read(reader, buffer, 0, buffer.length)) >= 0) {
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            body.gotChunk(chunk);
            if (events != null) {
                events.chunk(chunk);
            }
        }
    }

    /** One pool block, reused for every piece, which the listeners see in place. */
    private void passOnPooled(Exchange ex, BodyReader reader, MessageBody body, MessageEvents events)
            throws IOException, HttpException {
        PooledBlock block = state.bodyBuffers.take();
        ex.pooledBlocks = List.of(block);
        ByteBuffer buffer = block.buffer();
        while (!reader.isDone()) {
            buffer.clear();
            if (read(reader, buffer) < 0) {
                break;
            }
            buffer.flip();
            body.gotChunk(buffer);
            if (events != null) {
                events.chunk(buffer);
            }
        }
    }

    /**
     * When the exchange ended: its pool blocks go back (those application code saw are dropped), and the
     * bodies that held views of them are emptied, so that a body kept past its exchange never shows the
     * bytes of a later request.
     */
    void exchangeEnded(Exchange ex) {
        if (ex.pooledBlocks == null) {
            return;
        }
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

    /**
     * Reads body bytes into {@code block} from {@code from} until it is full or the body ends, checking
     * the size limit and firing GotChunk per read; returns the bytes now in the block.
     */
    private int fill(BodyReader reader, byte[] block, int from, MessageBody body, long max, MessageEvents events)
            throws IOException, HttpException {
        int filled = from;
        int n;
        while (filled < block.length && (n = read(reader, block, filled, block.length - filled)) >= 0) {
            if (body.length() + filled + n > max) {
                throw new HttpException(Status.CONTENT_TOO_LARGE, tooLarge(max));
            }
            if (events != null) {
                events.chunk(ByteBuffer.wrap(block, filled, n));
            }
            filled += n;
        }
        return filled;
    }

    /**
     * The reason a kept body over {@code max} bytes is refused, naming the way to take larger bodies:
     * the limit is on bodies held in memory, not on bodies a handler reads as a stream.
     */
    static String tooLarge(long max) {
        return "request body larger than " + max + " bytes, the most this server keeps in memory;"
                + " to take larger bodies, read them as a stream with getRequestBodyStream(): in a streaming"
                + " route (Router.postStreaming, putStreaming) or in an early handler";
    }

    /** Returns the scratch array, made on first use. */
    byte[] scratch() {
        byte[] b = scratch;
        if (b == null) {
            b = new byte[SCRATCH_SIZE];
            scratch = b;
        }
        return b;
    }

    /** Lets the scratch array go; for a connection that stays idle. */
    void dropScratch() {
        scratch = null;
    }

    /** Reads body bytes, counting them; a read timeout is the client's fault: 408. */
    int read(BodyReader reader, byte[] b, int off, int len) throws IOException, HttpException {
        try {
            int n = reader.read(b, off, len);
            if (n > 0) {
                state.counters.requestBodyBytesRead.add(n);
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw new HttpException(Status.REQUEST_TIMEOUT, "request body not received in time");
        }
    }

    /** Reads body bytes into a direct buffer, counting them; a read timeout is the client's fault: 408. */
    private int read(BodyReader reader, ByteBuffer dst) throws IOException, HttpException {
        try {
            int n = reader.read(dst);
            if (n > 0) {
                state.counters.requestBodyBytesRead.add(n);
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw new HttpException(Status.REQUEST_TIMEOUT, "request body not received in time");
        }
    }
}
