package dev.ladle.server.internal.http2;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes HPACK header blocks (RFC 7541) for one connection, keeping the dynamic table in step with the
 * peer's encoder. Field strings map octets one char per byte (ISO-8859-1).
 *
 * <p>The header-list bound is enforced while decoding: once a block's fields exceed it, the rest of the
 * block is still decoded (the table must stay in sync with the peer) but no more fields are delivered and
 * no strings are built except for entries the table keeps. A small block that references one big table
 * entry thousands of times therefore costs a table lookup per reference, not a string.
 *
 * <p>Not thread-safe: one connection's reader owns it. After an {@link HpackException} it must not be
 * used again (the connection ends with {@code COMPRESSION_ERROR}).
 */
public final class HpackDecoder {
    private static final int INDEXED = 0x80;
    private static final int LITERAL_INDEXED_MASK = 0xc0;
    private static final int LITERAL_INDEXED = 0x40;
    private static final int SIZE_UPDATE_MASK = 0xe0;
    private static final int SIZE_UPDATE = 0x20;
    private static final int HUFFMAN = 0x80;
    /** An integer continues in at most five octets past its prefix (7 × 5 bits cover 2^31 - 1). */
    private static final int MAX_INTEGER_SHIFT = 28;

    private final HpackDynamicTable table;
    private int maxTableSize;
    private boolean sizeUpdateRequired;
    private static final int SCRATCH_SIZE = 256;
    private byte[] scratch = new byte[SCRATCH_SIZE]; // Huffman-decoded strings; grown on demand and kept

    // the block being decoded, for the read methods
    private byte[] block;
    private int pos;
    private int end;
    // the header-list bound of the block being decoded
    private long listSize;
    private long listLimit;
    private boolean delivering;
    // where the last read string's octets are: in the block (raw) or in scratch (Huffman)
    private byte[] stringBytes;
    private int stringOffset;

    /** Lets the scratch array go between blocks (an idle connection); the next Huffman string makes one. */
    void releaseScratch() {
        scratch = new byte[0];
    }

    /**
     * A decoder with an empty dynamic table of {@code maxTableSize} octets.
     *
     * @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE we advertise (4096 by default): the upper bound
     *     for dynamic table size updates
     */
    public HpackDecoder(int maxTableSize) {
        if (maxTableSize < 0) {
            throw new IllegalArgumentException("negative table size: " + maxTableSize);
        }
        this.maxTableSize = maxTableSize;
        this.table = new HpackDynamicTable(maxTableSize);
    }

    /**
     * We advertised a new SETTINGS_HEADER_TABLE_SIZE and the peer acknowledged it. Later size updates are
     * bounded by {@code size}; when it is below the table's current maximum, the next block must start with
     * a size update (RFC 7541 §4.2) or {@link #decode} throws.
     */
    public void setMaxTableSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative table size: " + size);
        }
        maxTableSize = size;
        if (size < table.maxSize()) {
            sizeUpdateRequired = true;
        }
    }

    /** The dynamic table's current size in octets (RFC 7541 §4.1): for tests and diagnostics. */
    public int dynamicTableSize() {
        return table.size();
    }

    /** The dynamic table, for tests in this package. */
    HpackDynamicTable table() {
        return table;
    }

    /**
     * Decodes one complete header block (HEADERS + CONTINUATION fragments concatenated).
     * Fields go to the sink in order while the header-list size (RFC 9113 §6.5.2: name octets + value
     * octets + 32 per field) stays within {@code maxHeaderListSize}. Once it is exceeded, decoding
     * continues to the end of the block so the dynamic table stays in sync with the peer, but no more
     * fields are delivered and no strings are built for fields that are not needed for the table; the
     * method then returns false.
     *
     * @return true when the whole list was delivered
     * @throws HpackException for any malformation: an index of 0 or past the tables, an integer above
     *     2^31 - 1, a string or integer running past the block, an invalid Huffman string (EOS decoded,
     *     padding longer than 7 bits or not all ones), a dynamic table size update larger than the
     *     advertised maximum or after the block's first field, or a missing required size update
     */
    public boolean decode(byte[] block, int offset, int length, long maxHeaderListSize, HeaderSink sink)
            throws HpackException {
        Objects.checkFromIndexSize(offset, length, block.length);
        this.block = block;
        this.pos = offset;
        this.end = offset + length;
        this.listSize = 0;
        this.listLimit = maxHeaderListSize;
        this.delivering = true;
        try {
            boolean fieldSeen = false;
            while (pos < end) {
                int first = block[pos] & 0xff;
                if ((first & SIZE_UPDATE_MASK) == SIZE_UPDATE) {
                    if (fieldSeen) {
                        throw new HpackException("dynamic table size update after a header field");
                    }
                    sizeUpdate();
                    continue;
                }
                if (sizeUpdateRequired) {
                    throw new HpackException("block does not start with the required dynamic table size update");
                }
                fieldSeen = true;
                if ((first & INDEXED) != 0) {
                    indexed(readInteger(7), sink);
                } else {
                    boolean indexing = (first & LITERAL_INDEXED_MASK) == LITERAL_INDEXED;
                    // without indexing (0000) and never indexed (0001) decode alike; the 4-bit prefix covers both
                    literal(readInteger(indexing ? 6 : 4), indexing, sink);
                }
            }
            return delivering;
        } finally {
            this.block = null;
            this.stringBytes = null;
        }
    }

    /** An indexed field (RFC 7541 §6.1): the table's strings are passed on, nothing is built. */
    private void indexed(int index, HeaderSink sink) throws HpackException {
        String name = nameAt(index);
        String value = valueAt(index);
        if (admit(HpackDynamicTable.entrySize(name.length(), value.length()))) {
            sink.header(name, value);
        }
    }

    /** A literal field (RFC 7541 §6.2) after its name index ({@code 0}: the name follows as a string). */
    private void literal(int nameIndex, boolean indexing, HeaderSink sink) throws HpackException {
        String name = null;
        byte[] nameBytes = null;
        int nameOffset = 0;
        int nameLength;
        int scratchUsed = 0;
        if (nameIndex == 0) {
            nameLength = readString(0);
            nameBytes = stringBytes;
            nameOffset = stringOffset;
            if (nameBytes == scratch) {
                scratchUsed = nameLength;
            }
        } else {
            name = nameAt(nameIndex);
            nameLength = name.length();
        }
        int valueLength = readString(scratchUsed);
        long fieldSize = HpackDynamicTable.entrySize(nameLength, valueLength);
        boolean deliver = admit(fieldSize);
        boolean store = indexing && table.fits(fieldSize);
        if (indexing && !store) {
            table.clear(); // RFC 7541 §4.4; and no strings are needed for an entry that is not kept
        }
        if (deliver || store) {
            if (name == null) {
                name = new String(nameBytes, nameOffset, nameLength, StandardCharsets.ISO_8859_1);
            }
            String value = new String(stringBytes, stringOffset, valueLength, StandardCharsets.ISO_8859_1);
            if (deliver) {
                sink.header(name, value);
            }
            if (store) {
                table.add(name, value);
            }
        }
    }

    /** Counts a field against the header-list bound; returns whether it is to be delivered. */
    private boolean admit(long fieldSize) {
        listSize += fieldSize;
        delivering &= listSize <= listLimit;
        return delivering;
    }

    private void sizeUpdate() throws HpackException {
        int size = readInteger(5);
        if (size > maxTableSize) {
            throw new HpackException("dynamic table size update to " + size + " exceeds the maximum " + maxTableSize);
        }
        table.setMaxSize(size);
        sizeUpdateRequired = false;
    }

    private String nameAt(int index) throws HpackException {
        checkIndex(index);
        return index <= HpackStaticTable.LENGTH
                ? HpackStaticTable.name(index)
                : table.name(index - HpackStaticTable.LENGTH - 1);
    }

    private String valueAt(int index) throws HpackException {
        checkIndex(index);
        return index <= HpackStaticTable.LENGTH
                ? HpackStaticTable.value(index)
                : table.value(index - HpackStaticTable.LENGTH - 1);
    }

    private void checkIndex(int index) throws HpackException {
        if (index == 0 || index > HpackStaticTable.LENGTH + table.length()) {
            throw new HpackException("invalid table index " + index);
        }
    }

    /**
     * Reads an integer with a {@code prefixBits}-bit prefix (RFC 7541 §5.1) starting at the current
     * octet, whose higher bits belong to the caller.
     */
    private int readInteger(int prefixBits) throws HpackException {
        int mask = (1 << prefixBits) - 1;
        int value = block[pos++] & mask;
        if (value < mask) {
            return value;
        }
        long sum = value;
        for (int shift = 0; shift <= MAX_INTEGER_SHIFT; shift += 7) {
            if (pos >= end) {
                throw new HpackException("integer runs past the end of the block");
            }
            int octet = block[pos++] & 0xff;
            sum += (long) (octet & 0x7f) << shift;
            if (sum > Integer.MAX_VALUE) {
                throw new HpackException("integer exceeds 2^31 - 1");
            }
            if ((octet & 0x80) == 0) {
                return (int) sum;
            }
        }
        throw new HpackException("integer exceeds 2^31 - 1");
    }

    /**
     * Reads a string literal (RFC 7541 §5.2): raw octets stay in the block, Huffman-coded ones are decoded
     * into {@link #scratch} from {@code scratchOffset} (always, so that bad codes are found even for
     * fields nobody reads). Sets {@link #stringBytes} and {@link #stringOffset}; returns the octet count.
     */
    private int readString(int scratchOffset) throws HpackException {
        if (pos >= end) {
            throw new HpackException("string literal missing at the end of the block");
        }
        boolean huffman = (block[pos] & HUFFMAN) != 0;
        int length = readInteger(7);
        if (length > end - pos) {
            throw new HpackException("string literal of " + length + " octets runs past the end of the block");
        }
        int start = pos;
        pos += length;
        if (!huffman) {
            stringBytes = block;
            stringOffset = start;
            return length;
        }
        int needed = scratchOffset + HuffmanDecoder.maxDecodedLength(length);
        if (needed > scratch.length) {
            // a name already decoded into the old array stays readable there: callers hold that array
            scratch = new byte[Math.max(SCRATCH_SIZE, Math.max(needed, scratch.length * 2))];
        }
        stringBytes = scratch;
        stringOffset = scratchOffset;
        return HuffmanDecoder.decode(block, start, length, scratch, scratchOffset);
    }
}
