package dev.ladle.server.internal.http2;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Helpers shared by the HPACK tests: hex blocks and a sink that records fields as "name: value". */
final class HpackTesting {
    private HpackTesting() {
    }

    /** The bytes of a hex dump in RFC 7541's layout (spaces and line breaks ignored). */
    static byte[] hex(String dump) {
        return HexFormat.of().parseHex(dump.replaceAll("\\s", ""));
    }

    /** Lowercase hex without separators, for comparing encoder output. */
    static String hex(byte[] bytes, int length) {
        return HexFormat.of().formatHex(bytes, 0, length);
    }

    /** Records each field as "name: value". */
    static final class RecordingSink implements HeaderSink {
        final List<String> fields = new ArrayList<>();

        @Override
        public void header(String name, String value) {
            fields.add(name + ": " + value);
        }
    }
}
