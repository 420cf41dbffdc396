package dev.ladle.server.internal.http2;

/**
 * Huffman-codes string literals (RFC 7541 §5.2). Strings carry one octet per char (ISO-8859-1); a char
 * above U+00FF is sent as {@code ?}, as {@code String.getBytes(ISO_8859_1)} would. Stateless and
 * allocation-free; safe from any thread.
 */
final class HuffmanEncoder {
    private HuffmanEncoder() {
    }

    /**
     * The Huffman-coded length of {@code s} in octets if that is shorter than {@code s.length()}, else -1
     * (stopping as soon as it cannot be shorter, since the raw form is then used).
     */
    static int shorterLength(String s) {
        int n = s.length();
        if (n == 0) {
            return -1;
        }
        long limitBits = 8L * n - 8; // at least one octet shorter, counting the final padding
        long bits = 0;
        for (int i = 0; i < n; i++) {
            bits += HuffmanCode.length(octet(s.charAt(i)));
            if (bits > limitBits) {
                return -1;
            }
        }
        return (int) ((bits + 7) >>> 3);
    }

    /** Writes the Huffman code of {@code s} into {@code dst} from {@code offset}; returns the offset after it. */
    static int encode(String s, byte[] dst, int offset) {
        long pending = 0; // low `bits` bits are not yet written; higher bits are stale and ignored
        int bits = 0;
        int out = offset;
        for (int i = 0, n = s.length(); i < n; i++) {
            int symbol = octet(s.charAt(i));
            int length = HuffmanCode.length(symbol);
            pending = pending << length | HuffmanCode.code(symbol);
            bits += length;
            while (bits >= 8) {
                bits -= 8;
                dst[out++] = (byte) (pending >>> bits);
            }
        }
        if (bits > 0) {
            // pad with the most significant bits of EOS, which are all ones
            dst[out++] = (byte) (pending << (8 - bits) | 0xff >>> bits);
        }
        return out;
    }

    private static int octet(char c) {
        return c <= 0xff ? c : '?';
    }
}
