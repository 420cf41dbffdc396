package dev.ladle.server.internal;

import dev.ladle.server.Compression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one response body as it is written, in gzip (RFC 1952) or zlib (RFC 1950, the
 * {@code deflate} coding) format, handing the compressed bytes to the exchange's {@link MessageIo} in
 * pieces of at most {@link #PIECE} bytes: memory stays at one piece plus the deflater's window however
 * long the body is. {@link #flush} pushes everything written so far to the client ({@code SYNC_FLUSH}),
 * which is how a streamed response stays streamed. The deflater is made on the first write, so a HEAD
 * (whose body is never written) costs nothing; {@link #end} frees its native memory.
 *
 * <p>One writer at a time: the connection's thread, or the handler writing the body stream.
 */
final class BodyCompressor {
    /** The largest compressed piece handed to the protocol at once. */
    static final int PIECE = 16 * 1024;
    /** The gzip member header: DEFLATE, no flags, no time, no extra flags, operating system unknown. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int GZIP_TRAILER = 8;

    private final Compression.Coding coding;
    private final int level;
    private Deflater deflater;
    /** The gzip checksum of the uncompressed bytes; null for deflate. */
    private CRC32 crc;
    private byte[] out;
    /** Compressed bytes in {@link #out} not handed to the protocol yet. */
    private int pending;
    /** {@link #end} was called: the deflater's memory is gone. */
    private volatile boolean ended;

    BodyCompressor(Compression.Coding coding, int level) {
        this.coding = coding;
        this.level = level;
    }

    private void start() throws IOException {
        if (ended) {
            // a body stream written to after its exchange ended (the client left): fail as a write does
            throw new IOException("the response has ended");
        }
        if (deflater != null) {
            return;
        }
        boolean gzip = coding == Compression.Coding.GZIP;
        deflater = new Deflater(level, gzip);
        out = new byte[PIECE];
        if (gzip) {
            crc = new CRC32();
            System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
            pending = GZIP_HEADER.length;
        }
    }

    /**
     * Compresses the remaining bytes of {@code data} (its position is not moved); full pieces go out as
     * they fill, the rest stays until more comes, a {@link #flush} or {@link #finish}.
     *
     * @param flush true to push everything to the client now (a streamed chunk)
     */
    void write(MessageIo io, ResponseWriter.Framing framing, ByteBuffer data, boolean flush) throws IOException {
        start();
        if (crc != null) {
            crc.update(data.duplicate());
        }
        deflater.setInput(data.duplicate());
        while (!deflater.needsInput()) {
            deflate(io, framing, Deflater.NO_FLUSH);
        }
        if (flush) {
            flush(io, framing);
        }
    }

    /** Sends everything written so far, decompressible by the client as it is, and flushes the protocol. */
    void flush(MessageIo io, ResponseWriter.Framing framing) throws IOException {
        start();
        // a SYNC_FLUSH that fills the space given has more to say: call again (Deflater's contract)
        while (deflate(io, framing, Deflater.SYNC_FLUSH)) {
            // the piece went out; deflate on
        }
        send(io, framing, true);
    }

    /** Ends the compressed stream (the gzip trailer included) and hands the rest to the protocol. */
    void finish(MessageIo io, ResponseWriter.Framing framing) throws IOException {
        start();
        deflater.finish();
        while (!deflater.finished()) {
            deflate(io, framing, Deflater.NO_FLUSH);
        }
        if (crc != null) {
            if (out.length - pending < GZIP_TRAILER) {
                send(io, framing, false);
            }
            pending = putIntLe(out, pending, (int) crc.getValue());
            pending = putIntLe(out, pending, (int) deflater.getBytesRead());
        }
        send(io, framing, false);
        end();
    }

    /**
     * One deflate call into the free part of the piece; a full piece goes out.
     *
     * @return true when the call filled the space it had
     */
    private boolean deflate(MessageIo io, ResponseWriter.Framing framing, int mode) throws IOException {
        int space = out.length - pending;
        int n = deflater.deflate(out, pending, space, mode);
        pending += n;
        if (pending == out.length) {
            send(io, framing, false);
        }
        return n == space;
    }

    /** Hands the pending bytes to the protocol as one body piece (flushing it when asked). */
    private void send(MessageIo io, ResponseWriter.Framing framing, boolean flush) throws IOException {
        if (pending > 0) {
            int n = pending;
            pending = 0;
            io.writeBodyPiece(framing, ByteBuffer.wrap(out, 0, n), false, flush);
        } else if (flush) {
            io.flush();
        }
    }

    /** Frees the deflater's native memory; the compressor writes nothing after. Idempotent. */
    void end() {
        ended = true;
        if (deflater != null) {
            deflater.end();
        }
        out = null;
    }

    /**
     * Returns {@code data} compressed whole with {@code coding} at {@code level}: a complete small body,
     * compressed before its head is written so that it keeps a {@code Content-Length}.
     */
    static byte[] compress(Compression.Coding coding, int level, byte[] data) {
        boolean gzip = coding == Compression.Coding.GZIP;
        Deflater deflater = new Deflater(level, gzip);
        try {
            deflater.setInput(data);
            deflater.finish();
            int header = gzip ? GZIP_HEADER.length : 0;
            byte[] result = new byte[header + data.length / 2 + 64];
            int length = header;
            if (gzip) {
                System.arraycopy(GZIP_HEADER, 0, result, 0, header);
            }
            while (!deflater.finished()) {
                if (length == result.length) {
                    result = Arrays.copyOf(result, result.length * 2);
                }
                length += deflater.deflate(result, length, result.length - length);
            }
            if (gzip) {
                if (result.length - length < GZIP_TRAILER) {
                    result = Arrays.copyOf(result, length + GZIP_TRAILER);
                }
                CRC32 crc = new CRC32();
                crc.update(data);
                length = putIntLe(result, length, (int) crc.getValue());
                length = putIntLe(result, length, data.length);
            }
            return length == result.length ? result : Arrays.copyOf(result, length);
        } finally {
            deflater.end();
        }
    }

    /** Writes {@code value} little-endian at {@code at}; returns the index after it. */
    private static int putIntLe(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
        b[at + 3] = (byte) (value >>> 24);
        return at + 4;
    }
}
