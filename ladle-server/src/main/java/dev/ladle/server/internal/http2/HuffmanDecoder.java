package dev.ladle.server.internal.http2;

/**
 * Decodes Huffman-coded string literals (RFC 7541 §5.2) four bits at a time. The code tree's 256 internal
 * nodes are the states of a machine; a precomputed table gives, for each state and nibble, the next state
 * and the symbol completed on the way, if any (no code is shorter than five bits, so a nibble completes at
 * most one). Decoding is then two table reads per input octet, with no per-bit branching.
 *
 * <p>Stateless and allocation-free; safe from any thread.
 */
final class HuffmanDecoder {
    private static final int STATES = 256;
    private static final int STATE_MASK = 0xff;
    private static final int SYMBOL_SHIFT = 8;
    private static final int EMITS = 1 << 16;
    private static final int DECODES_EOS = 1 << 17;
    /** Padding is at most seven bits (RFC 7541 §5.2). */
    private static final int MAX_PADDING_BITS = 7;

    /** Entry {@code state << 4 | nibble}: next state, completed symbol, {@link #EMITS}, {@link #DECODES_EOS}. */
    private static final int[] TRANSITIONS = new int[STATES * 16];

    /**
     * Whether a string may end in this state: the bits read since the last symbol are all ones and at most
     * seven, that is, valid padding (a prefix of EOS). The root, with no pending bits, is one of them.
     */
    private static final boolean[] ACCEPTING = new boolean[STATES];

    static {
        // The tree: children of internal nodes; a child >= 1 is an internal node, a child < 0 is the
        // leaf -(symbol + 1). The root is node 0 and nobody's child.
        int[] zero = new int[STATES];
        int[] one = new int[STATES];
        int nodes = 1;
        for (int symbol = 0; symbol <= HuffmanCode.EOS; symbol++) {
            int code = HuffmanCode.code(symbol);
            int length = HuffmanCode.length(symbol);
            int node = 0;
            for (int bit = length - 1; bit > 0; bit--) {
                int[] children = ((code >>> bit) & 1) == 0 ? zero : one;
                if (children[node] == 0) {
                    children[node] = nodes++;
                }
                node = children[node];
            }
            ((code & 1) == 0 ? zero : one)[node] = -(symbol + 1);
        }
        int node = 0;
        ACCEPTING[0] = true;
        for (int depth = 1; depth <= MAX_PADDING_BITS; depth++) {
            node = one[node];
            ACCEPTING[node] = true;
        }
        for (int state = 0; state < STATES; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                TRANSITIONS[state << 4 | nibble] = walk(state, nibble, zero, one);
            }
        }
    }

    private HuffmanDecoder() {
    }

    private static int walk(int state, int nibble, int[] zero, int[] one) {
        int node = state;
        int result = 0;
        for (int bit = 3; bit >= 0; bit--) {
            int child = ((nibble >>> bit) & 1) == 0 ? zero[node] : one[node];
            if (child >= 0) {
                node = child;
                continue;
            }
            int symbol = -child - 1;
            if (symbol == HuffmanCode.EOS) {
                return DECODES_EOS;
            }
            result = EMITS | symbol << SYMBOL_SHIFT;
            node = 0;
        }
        return result | node;
    }

    /** The most octets {@code encodedLength} Huffman-coded octets can decode to (codes are 5 bits or more). */
    static int maxDecodedLength(int encodedLength) {
        return (int) (encodedLength * 8L / 5);
    }

    /**
     * Decodes {@code src[offset, offset + length)} into {@code dst} from {@code dstOffset}, which must have
     * room for {@link #maxDecodedLength(int)} octets, and returns the number of octets decoded.
     *
     * @throws HpackException if the input decodes EOS, or ends in padding that is longer than seven bits
     *     or not all ones
     */
    static int decode(byte[] src, int offset, int length, byte[] dst, int dstOffset) throws HpackException {
        int state = 0;
        int out = dstOffset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int octet = src[i] & 0xff;
            int t = TRANSITIONS[state << 4 | octet >>> 4];
            if ((t & DECODES_EOS) != 0) {
                throw new HpackException("Huffman string contains EOS");
            }
            if ((t & EMITS) != 0) {
                dst[out++] = (byte) (t >>> SYMBOL_SHIFT);
            }
            t = TRANSITIONS[(t & STATE_MASK) << 4 | octet & 0xf];
            if ((t & DECODES_EOS) != 0) {
                throw new HpackException("Huffman string contains EOS");
            }
            if ((t & EMITS) != 0) {
                dst[out++] = (byte) (t >>> SYMBOL_SHIFT);
            }
            state = t & STATE_MASK;
        }
        if (!ACCEPTING[state]) {
            throw new HpackException("Huffman string ends in invalid padding");
        }
        return out - dstOffset;
    }
}
