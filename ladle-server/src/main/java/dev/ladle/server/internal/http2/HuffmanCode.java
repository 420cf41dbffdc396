package dev.ladle.server.internal.http2;

/**
 * The Huffman code of RFC 7541 Appendix B: 256 octets plus the end-of-string symbol. The code is
 * canonical (within one length, codes count up in symbol order, and each length continues where the
 * shorter one ended), so the code lengths alone define it; the codes are derived from them here rather
 * than transcribed a second time.
 */
final class HuffmanCode {
    /** The end-of-string symbol; it must never appear in a decoded string (RFC 7541 §5.2). */
    static final int EOS = 256;

    /** The longest code, in bits. */
    static final int MAX_LENGTH = 30;

    // RFC 7541 Appendix B, column "len", for symbols 0 to 256, sixteen a row
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30};

    private static final int[] CODES = new int[EOS + 1];

    static {
        int code = 0;
        for (int length = 1; length <= MAX_LENGTH; length++) {
            for (int symbol = 0; symbol <= EOS; symbol++) {
                if (LENGTHS[symbol] == length) {
                    CODES[symbol] = code++;
                }
            }
            code <<= 1;
        }
    }

    private HuffmanCode() {
    }

    /** The length in bits of {@code symbol}'s code (0 to 256). */
    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /** The code of {@code symbol} (0 to 256), right-aligned in {@link #length(int)} bits. */
    static int code(int symbol) {
        return CODES[symbol];
    }
}
