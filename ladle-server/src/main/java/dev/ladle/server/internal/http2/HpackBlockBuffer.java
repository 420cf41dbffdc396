package dev.ladle.server.internal.http2;

import java.util.Arrays;

/**
 * The encoder's output: a reusable, growing byte array and the HPACK primitive writers (RFC 7541 §5).
 * After warm-up it has the capacity a typical block needs, so writing allocates nothing. Not thread-safe.
 */
final class HpackBlockBuffer {
    /** Enough for an integer: one prefix octet and five continuation octets. */
    private static final int MAX_INTEGER_OCTETS = 6;
    private static final int HUFFMAN = 0x80;

    private static final int INITIAL_SIZE = 256;
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = new byte[INITIAL_SIZE];
    private int length;

    /** Forgets the bytes written so far, keeping the capacity. */
    void reset() {
        length = 0;
    }

    /** Lets the array go (the last block was written out), for an idle connection; the next block makes one. */
    void release() {
        length = 0;
        bytes = EMPTY;
    }

    /** The array holding the bytes written: {@code [0, length())}. */
    byte[] array() {
        return bytes;
    }

    /** The number of bytes written. */
    int length() {
        return length;
    }

    /** Writes one octet. */
    void writeByte(int octet) {
        ensure(1);
        bytes[length++] = (byte) octet;
    }

    /**
     * Writes a non-negative integer with a {@code prefixBits}-bit prefix (RFC 7541 §5.1); {@code pattern}
     * holds the first octet's bits above the prefix.
     */
    void writeInteger(int pattern, int prefixBits, int value) {
        ensure(MAX_INTEGER_OCTETS);
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            bytes[length++] = (byte) (pattern | value);
            return;
        }
        bytes[length++] = (byte) (pattern | mask);
        int rest = value - mask;
        while (rest >= 0x80) {
            bytes[length++] = (byte) (rest & 0x7f | 0x80);
            rest >>>= 7;
        }
        bytes[length++] = (byte) rest;
    }

    /**
     * Writes a string literal (RFC 7541 §5.2), Huffman-coded when that is shorter. Chars map to octets as
     * ISO-8859-1; a char above U+00FF is sent as {@code ?}.
     */
    void writeString(String s) {
        int huffmanLength = HuffmanEncoder.shorterLength(s);
        if (huffmanLength >= 0) {
            writeInteger(HUFFMAN, 7, huffmanLength);
            ensure(huffmanLength);
            length = HuffmanEncoder.encode(s, bytes, length);
            return;
        }
        int n = s.length();
        writeInteger(0, 7, n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            bytes[length++] = (byte) (c <= 0xff ? c : '?');
        }
    }

    private void ensure(int extra) {
        if (bytes.length - length < extra) {
            bytes = Arrays.copyOf(bytes, Math.max(INITIAL_SIZE, Math.max(bytes.length * 2, length + extra)));
        }
    }
}
