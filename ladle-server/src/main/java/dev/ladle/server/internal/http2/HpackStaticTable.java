package dev.ladle.server.internal.http2;

/**
 * The static table of RFC 7541 Appendix A (indices 1 to 61) and the encoder's lookups in it. Immutable;
 * safe from any thread.
 */
final class HpackStaticTable {
    /** The number of entries; dynamic table indices start right after it. */
    static final int LENGTH = 61;

    /** Index of {@code :status: 200}, the first of the seven {@code :status} entries. */
    static final int STATUS_200 = 8;

    // index 0 is unused so that array indices are HPACK indices
    private static final String[] NAMES = {null,
        ":authority", ":method", ":method", ":path", ":path", ":scheme", ":scheme",
        ":status", ":status", ":status", ":status", ":status", ":status", ":status",
        "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "accept",
        "access-control-allow-origin", "age", "allow", "authorization", "cache-control",
        "content-disposition", "content-encoding", "content-language", "content-length",
        "content-location", "content-range", "content-type", "cookie", "date", "etag", "expect",
        "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
        "if-unmodified-since", "last-modified", "link", "location", "max-forwards",
        "proxy-authenticate", "proxy-authorization", "range", "referer", "refresh", "retry-after",
        "server", "set-cookie", "strict-transport-security", "transfer-encoding", "user-agent",
        "vary", "via", "www-authenticate"};

    private static final String[] VALUES = {null,
        "", "GET", "POST", "/", "/index.html", "http", "https",
        "200", "204", "206", "304", "400", "404", "500",
        "", "gzip, deflate", "", "", "",
        "", "", "", "", "",
        "", "", "", "",
        "", "", "", "", "", "", "",
        "", "", "", "", "", "", "",
        "", "", "", "", "",
        "", "", "", "", "", "",
        "", "", "", "", "",
        "", "", ""};

    // Open addressing from a name's hash to the first index with that name: the encoder looks names up on
    // every field, and a HashMap<String, Integer> would do the same work with more indirection.
    private static final int SLOTS = 128;
    private static final byte[] FIRST_INDEX_BY_NAME = new byte[SLOTS];

    static {
        for (int i = LENGTH; i >= 1; i--) { // backwards, so the first index of a repeated name wins
            int slot = slotOf(NAMES[i]);
            while (FIRST_INDEX_BY_NAME[slot] != 0 && !NAMES[FIRST_INDEX_BY_NAME[slot]].equals(NAMES[i])) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            FIRST_INDEX_BY_NAME[slot] = (byte) i;
        }
    }

    private HpackStaticTable() {
    }

    /** The name at {@code index} (1 to {@link #LENGTH}). */
    static String name(int index) {
        return NAMES[index];
    }

    /** The value at {@code index} (1 to {@link #LENGTH}). */
    static String value(int index) {
        return VALUES[index];
    }

    /**
     * Finds a field: the index of an entry with this name and value, else minus the index of the first
     * entry with this name, else 0. Allocates nothing.
     */
    static int find(String name, String value) {
        int slot = slotOf(name);
        int first;
        while ((first = FIRST_INDEX_BY_NAME[slot]) != 0) {
            if (NAMES[first].equals(name)) {
                // entries sharing a name are adjacent in Appendix A
                for (int i = first; i <= LENGTH && NAMES[i].equals(name); i++) {
                    if (VALUES[i].equals(value)) {
                        return i;
                    }
                }
                return -first;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        return 0;
    }

    private static int slotOf(String name) {
        int h = name.hashCode();
        return (h ^ (h >>> 7) ^ (h >>> 16)) & (SLOTS - 1);
    }
}
