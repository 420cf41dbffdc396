package dev.ladle.server.internal.http2;

import java.util.ArrayList;
import java.util.List;

/**
 * The active streams of a connection by id: open addressing with linear probing on an {@code int} key,
 * so the reader's per-frame lookup neither boxes the id nor allocates. Grows by doubling; deletion
 * shifts the following entries back, so no tombstones accumulate. Guarded by the connection's state lock.
 */
final class StreamMap {
    private int[] keys = new int[16];
    private Http2Stream[] values = new Http2Stream[16];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The stream with this id, or {@code null}. */
    Http2Stream get(int id) {
        int mask = keys.length - 1;
        for (int i = hash(id) & mask; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == id) {
                return values[i];
            }
        }
        return null;
    }

    /** Adds a stream whose id is not in the map yet. */
    void put(Http2Stream stream) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(stream.id(), stream);
        size++;
    }

    /** Removes the stream with this id, if present. */
    void remove(int id) {
        int mask = keys.length - 1;
        int i = hash(id) & mask;
        while (values[i] != null && keys[i] != id) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return;
        }
        values[i] = null;
        size--;
        // re-seat the rest of the probe run so lookups never stop at the hole
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            Http2Stream moved = values[j];
            values[j] = null;
            insert(keys[j], moved);
        }
    }

    /** A snapshot of the streams. */
    List<Http2Stream> snapshot() {
        List<Http2Stream> list = new ArrayList<>(size);
        for (Http2Stream s : values) {
            if (s != null) {
                list.add(s);
            }
        }
        return list;
    }

    private void insert(int id, Http2Stream stream) {
        int mask = keys.length - 1;
        int i = hash(id) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = id;
        values[i] = stream;
    }

    private void grow() {
        int[] oldKeys = keys;
        Http2Stream[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Http2Stream[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(int id) {
        // client ids are odd and consecutive: drop the constant low bit before mixing
        int h = (id >>> 1) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
