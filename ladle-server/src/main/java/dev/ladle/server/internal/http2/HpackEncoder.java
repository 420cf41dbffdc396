package dev.ladle.server.internal.http2;

/**
 * Encodes header blocks (RFC 7541) for one connection's responses into a reusable buffer.
 *
 * <p>Each field becomes, by preference: an index into the static table, an index into the dynamic
 * table, or a literal whose name is indexed when possible. Literals are added to the dynamic table unless
 * they would take more than half of it (one large value would evict everything useful), so a field
 * repeated on later responses ({@code content-type: text/plain}, {@code server}, a {@code date} within
 * the same second) costs one octet. Sensitive fields are sent never-indexed (RFC 7541 §7.1.3). Strings
 * are Huffman-coded when that is shorter. Chars map to octets as ISO-8859-1.
 *
 * <p>The dynamic table uses at most {@value #MAX_TABLE_SIZE} octets whatever the peer allows, which bounds
 * the memory a connection holds. After warm-up, encoding a block allocates nothing.
 *
 * <p>Not thread-safe: the connection's writer owns it, and blocks must reach the peer in the order they
 * were encoded.
 */
public final class HpackEncoder {
    /** The peer's table size until it says otherwise (RFC 9113 §6.5.2). */
    static final int DEFAULT_TABLE_SIZE = 4096;
    /** The most this encoder uses, whatever the peer allows. */
    static final int MAX_TABLE_SIZE = 4096;

    private static final int INDEXED = 0x80;
    private static final int LITERAL_INDEXED = 0x40;
    private static final int LITERAL_NOT_INDEXED = 0x00;
    private static final int LITERAL_NEVER_INDEXED = 0x10;
    private static final int SIZE_UPDATE = 0x20;
    private static final String STATUS = ":status";
    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 999;

    // ":status" values other than the static table's, made once per JVM when first used; a racing
    // double fill is harmless since strings are immutable
    private static final String[] STATUS_TEXT = new String[MAX_STATUS - MIN_STATUS + 1];

    private final HpackDynamicTable table = new HpackDynamicTable(DEFAULT_TABLE_SIZE);
    private final HpackBlockBuffer out = new HpackBlockBuffer();
    private boolean sizeUpdatePending;
    private int smallestPendingSize;
    private int finalPendingSize;

    /** Encoder with the default peer table size 4096. */
    public HpackEncoder() {
    }

    /** Lets the output array go between blocks (an idle connection); the next block makes a new one. */
    void releaseIdle() {
        out.release();
    }

    /**
     * The peer's SETTINGS_HEADER_TABLE_SIZE changed (call it once our SETTINGS ACK is on its way). A
     * decrease evicts at once; the change is signalled by a dynamic table size update at the start of the
     * next block, preceded by the smallest size in between when the size went down and up again
     * (RFC 7541 §4.2). Larger sizes are capped at {@value #MAX_TABLE_SIZE}.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public void setPeerMaxTableSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative table size: " + size);
        }
        int effective = Math.min(size, MAX_TABLE_SIZE);
        if (!sizeUpdatePending) {
            if (effective == table.maxSize()) {
                return; // nothing to signal
            }
            smallestPendingSize = effective;
        } else {
            smallestPendingSize = Math.min(smallestPendingSize, effective);
        }
        sizeUpdatePending = true;
        finalPendingSize = effective;
        if (effective < table.maxSize()) {
            // Evicting before the peer hears of it is safe: both tables keep the newest entries that fit,
            // and the peer trims to the same set when the update arrives. Growing must wait for the update.
            table.setMaxSize(effective);
        }
    }

    /** Starts a new header block in the encoder's reusable buffer (forgets the previous block's bytes). */
    public void startBlock() {
        out.reset();
        if (sizeUpdatePending) {
            if (smallestPendingSize < finalPendingSize) {
                out.writeInteger(SIZE_UPDATE, 5, smallestPendingSize);
            }
            out.writeInteger(SIZE_UPDATE, 5, finalPendingSize);
            table.setMaxSize(finalPendingSize);
            sizeUpdatePending = false;
        }
    }

    /**
     * Adds {@code :status} with a 3-digit code: one octet for 200, 204, 206, 304, 400, 404 and 500 (the
     * static table), else a literal that is indexed, so a repeated code costs one octet later on.
     *
     * @throws IllegalArgumentException if {@code code} is not between 100 and 999
     */
    public void status(int code) {
        int index = switch (code) {
            case 200 -> HpackStaticTable.STATUS_200;
            case 204 -> HpackStaticTable.STATUS_200 + 1;
            case 206 -> HpackStaticTable.STATUS_200 + 2;
            case 304 -> HpackStaticTable.STATUS_200 + 3;
            case 400 -> HpackStaticTable.STATUS_200 + 4;
            case 404 -> HpackStaticTable.STATUS_200 + 5;
            case 500 -> HpackStaticTable.STATUS_200 + 6;
            default -> 0;
        };
        if (index != 0) {
            out.writeByte(INDEXED | index);
            return;
        }
        if (code < MIN_STATUS || code > MAX_STATUS) {
            throw new IllegalArgumentException("status code must have three digits: " + code);
        }
        String text = STATUS_TEXT[code - MIN_STATUS];
        if (text == null) {
            text = Integer.toString(code);
            STATUS_TEXT[code - MIN_STATUS] = text;
        }
        header(STATUS, text);
    }

    /**
     * Adds one field; {@code name} must already be lowercase ASCII (not checked). Sensitive fields
     * ({@code authorization}, {@code cookie}, {@code set-cookie}, {@code proxy-authorization}) are encoded
     * never-indexed and kept out of the dynamic table, so no later response can reveal them through it.
     */
    public void header(String name, String value) {
        int inStatic = HpackStaticTable.find(name, value);
        if (isSensitive(name)) {
            literal(LITERAL_NEVER_INDEXED, 4, Math.abs(inStatic), name, value);
            return;
        }
        if (inStatic > 0) {
            out.writeInteger(INDEXED, 7, inStatic);
            return;
        }
        int inDynamic = table.find(name, value);
        if (inDynamic > 0) {
            out.writeInteger(INDEXED, 7, HpackStaticTable.LENGTH + inDynamic);
            return;
        }
        int nameIndex = inStatic < 0 ? -inStatic : inDynamic < 0 ? HpackStaticTable.LENGTH - inDynamic : 0;
        if (HpackDynamicTable.entrySize(name.length(), value.length()) * 2 > table.maxSize()) {
            literal(LITERAL_NOT_INDEXED, 4, nameIndex, name, value);
            return;
        }
        literal(LITERAL_INDEXED, 6, nameIndex, name, value);
        table.add(name, value);
    }

    /** The encoded block so far: bytes [0, blockLength()) of this array (valid until the next startBlock). */
    public byte[] blockArray() {
        return out.array();
    }

    /** The number of bytes encoded since {@link #startBlock()}. */
    public int blockLength() {
        return out.length();
    }

    /** The dynamic table's current size in octets (RFC 7541 §4.1): for tests and diagnostics. */
    public int dynamicTableSize() {
        return table.size();
    }

    /** The dynamic table, for tests in this package. */
    HpackDynamicTable table() {
        return table;
    }

    private void literal(int pattern, int prefixBits, int nameIndex, String name, String value) {
        out.writeInteger(pattern, prefixBits, nameIndex);
        if (nameIndex == 0) {
            out.writeString(name);
        }
        out.writeString(value);
    }

    private static boolean isSensitive(String name) {
        return switch (name) {
            case "authorization", "cookie", "set-cookie", "proxy-authorization" -> true;
            default -> false;
        };
    }
}
