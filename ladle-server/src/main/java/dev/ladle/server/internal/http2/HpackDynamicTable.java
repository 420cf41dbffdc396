package dev.ladle.server.internal.http2;

/**
 * The dynamic table of RFC 7541 §2.3.2 and §4: a ring of fields, newest first, whose size (each entry's
 * name and value octets plus 32) never exceeds a maximum. Adding evicts the oldest entries; an entry
 * larger than the maximum empties the table. Strings hold one octet per char (ISO-8859-1), so a string's
 * length is its octet count. Not thread-safe: each connection's encoder and decoder own one each.
 */
final class HpackDynamicTable {
    /** The per-entry overhead RFC 7541 §4.1 adds to the name and value octets. */
    static final int ENTRY_OVERHEAD = 32;

    // Grown on demand: most connections hold a handful of entries, far below maxSize / 32.
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int newest = -1; // ring slot of entry 0
    private int length;
    private int size;
    private int maxSize;

    /** An empty table that may hold {@code maxSize} octets. */
    HpackDynamicTable(int maxSize) {
        this.maxSize = maxSize;
    }

    /** The number of entries. */
    int length() {
        return length;
    }

    /** The current size in octets (RFC 7541 §4.1). */
    int size() {
        return size;
    }

    /** The maximum size in octets. */
    int maxSize() {
        return maxSize;
    }

    /** The size an entry of these lengths would have. */
    static long entrySize(long nameLength, long valueLength) {
        return nameLength + valueLength + ENTRY_OVERHEAD;
    }

    /** The name of entry {@code i}, 0 being the newest; {@code i} must be below {@link #length()}. */
    String name(int i) {
        return names[slot(i)];
    }

    /** The value of entry {@code i}, 0 being the newest; {@code i} must be below {@link #length()}. */
    String value(int i) {
        return values[slot(i)];
    }

    /** Changes the maximum size, evicting the oldest entries until the table fits. */
    void setMaxSize(int newMaxSize) {
        maxSize = newMaxSize;
        evictUntil(maxSize);
    }

    /**
     * Adds a field as entry 0 after evicting what it needs room for; a field larger than the maximum size
     * only empties the table (RFC 7541 §4.4). Callers that want to avoid building strings for such a field
     * check {@link #fits} and call {@link #clear} instead.
     */
    void add(String name, String value) {
        long entry = entrySize(name.length(), value.length());
        if (entry > maxSize) {
            clear();
            return;
        }
        evictUntil(maxSize - (int) entry);
        if (length == names.length) {
            grow();
        }
        newest = (newest + 1) & (names.length - 1);
        names[newest] = name;
        values[newest] = value;
        length++;
        size += (int) entry;
    }

    /** Whether an entry of {@code entrySize} octets can be added without emptying the table. */
    boolean fits(long entrySize) {
        return entrySize <= maxSize;
    }

    /** Removes every entry. */
    void clear() {
        evictUntil(0);
    }

    /**
     * Finds a field among the entries: {@code i + 1} for entry {@code i} with this name and value, else
     * {@code -(i + 1)} for the newest entry with this name, else 0. Allocates nothing.
     */
    int find(String name, String value) {
        int nameHash = name.hashCode();
        int valueHash = value.hashCode();
        int nameMatch = 0;
        for (int i = 0; i < length; i++) {
            int s = slot(i);
            String n = names[s];
            // String caches its hash, so comparing hashes first is a field read per entry
            if (n.hashCode() == nameHash && n.equals(name)) {
                String v = values[s];
                if (v.hashCode() == valueHash && v.equals(value)) {
                    return i + 1;
                }
                if (nameMatch == 0) {
                    nameMatch = -(i + 1);
                }
            }
        }
        return nameMatch;
    }

    private int slot(int i) {
        return (newest - i) & (names.length - 1);
    }

    private void evictUntil(int targetSize) {
        while (size > targetSize) {
            int oldest = slot(length - 1);
            size -= (int) entrySize(names[oldest].length(), values[oldest].length());
            names[oldest] = null; // let the strings go
            values[oldest] = null;
            length--;
        }
    }

    private void grow() {
        String[] newNames = new String[names.length * 2];
        String[] newValues = new String[names.length * 2];
        // copy oldest to newest so that the ring starts at slot 0 again
        for (int i = 0; i < length; i++) {
            int s = slot(length - 1 - i);
            newNames[i] = names[s];
            newValues[i] = values[s];
        }
        names = newNames;
        values = newValues;
        newest = length - 1;
    }
}
