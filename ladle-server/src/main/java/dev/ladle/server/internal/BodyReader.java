package dev.ladle.server.internal;

import java.io.IOException;

/** Reads a request body off the connection, undoing its framing. */
interface BodyReader {
    /**
     * Reads up to {@code len} body bytes.
     *
     * @return the count read, or -1 at the end of the body
     * @throws HttpException when the framing is invalid or a limit or timeout is exceeded
     * @throws java.io.EOFException when the connection ends inside the body
     */
    int read(byte[] dst, int off, int len) throws IOException, HttpException;

    /**
     * Returns true when {@link #read(java.nio.ByteBuffer)} reads straight from the socket into a direct
     * buffer (a body framed by length on a plain TCP connection).
     */
    default boolean readsIntoDirectBuffers() {
        return false;
    }

    /**
     * Reads up to {@code dst.remaining()} body bytes into {@code dst}; only where
     * {@link #readsIntoDirectBuffers()}.
     *
     * @return the count read, or -1 at the end of the body
     */
    default int read(java.nio.ByteBuffer dst) throws IOException, HttpException {
        throw new UnsupportedOperationException("this body is read into arrays");
    }

    /** Returns true once the whole body has been read. */
    boolean isDone();

    /** Returns the number of body bytes still expected, or -1 when unknown (chunked). */
    long remaining();

    /** Returns the trailer fields (name, value, name, value...) once the body was read; empty when none. */
    default java.util.List<String> trailers() {
        return java.util.List.of();
    }

    /** A body of zero bytes. */
    BodyReader EMPTY = new BodyReader() {
        @Override
        public int read(byte[] dst, int off, int len) {
            return -1;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public long remaining() {
            return 0;
        }
    };
}
