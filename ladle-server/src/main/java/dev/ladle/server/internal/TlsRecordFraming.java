package dev.ladle.server.internal;

/**
 * Follows the record framing of a TLS byte stream read in pieces of any size: each record is a 5-byte
 * header (content type, protocol version, 16-bit length) and that many bytes (RFC 5246 section 6.2,
 * RFC 8446 section 5.1). Knows where each record starts, hence its content type, without buffering or
 * decrypting anything. Not thread-safe: one reader at a time.
 */
final class TlsRecordFraming {
    /** Bytes in a record header. */
    static final int HEADER_SIZE = 5;
    /** The content type of handshake records. */
    static final int HANDSHAKE = 22;

    /** How many bytes of the current header were seen; 0 at a record boundary. */
    private int headerSeen;
    /** The high byte of the current header's length, once seen. */
    private int lengthHigh;
    /** Bytes of the current record's fragment still to come. */
    private int fragmentLeft;

    /**
     * Moves past {@code len} bytes of the stream, {@code b[off..off+len)}, and returns true when a
     * record of content type {@code type} starts among them.
     */
    boolean startsRecordOfType(int type, byte[] b, int off, int len) {
        boolean seen = false;
        int i = off;
        int end = off + len;
        while (i < end) {
            if (fragmentLeft > 0) {
                // the common case, one step per read: the JDK reads a header, then exactly its fragment
                int skip = Math.min(fragmentLeft, end - i);
                fragmentLeft -= skip;
                i += skip;
                continue;
            }
            int value = b[i++] & 0xFF;
            switch (headerSeen) {
                case 0 -> seen |= value == type;
                case 3 -> lengthHigh = value;
                case 4 -> fragmentLeft = lengthHigh << 8 | value;
                default -> {
                    // the protocol version: not needed to find the next record
                }
            }
            headerSeen = headerSeen == HEADER_SIZE - 1 ? 0 : headerSeen + 1;
        }
        return seen;
    }
}
