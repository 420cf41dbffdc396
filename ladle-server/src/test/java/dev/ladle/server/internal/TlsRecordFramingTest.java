package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Record boundaries in a TLS byte stream, whatever the sizes it is read in. */
class TlsRecordFramingTest {
    private static final int APPLICATION_DATA = 23;

    /** A record: the 5-byte header and a fragment of {@code length} bytes, each of value {@code fill}. */
    static byte[] record(int type, int length, int fill) {
        byte[] record = new byte[TlsRecordFraming.HEADER_SIZE + length];
        record[0] = (byte) type;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte) (length >> 8);
        record[4] = (byte) length;
        Arrays.fill(record, TlsRecordFraming.HEADER_SIZE, record.length, (byte) fill);
        return record;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void theHandshakeRecordIsFoundInTheReadThatHoldsItsFirstByteWhateverTheReadSize() {
        // fragments full of 22s, and a length whose bytes are 22 too: only a header's first byte counts
        byte[] before = concat(record(APPLICATION_DATA, 300, TlsRecordFraming.HANDSHAKE),
                record(APPLICATION_DATA, 22 << 8 | 22, TlsRecordFraming.HANDSHAKE), record(APPLICATION_DATA, 0, 0));
        byte[] stream = concat(before, record(TlsRecordFraming.HANDSHAKE, 40, 1), record(APPLICATION_DATA, 17, 22));
        for (int size = 1; size <= stream.length; size++) {
            TlsRecordFraming framing = new TlsRecordFraming();
            for (int off = 0; off < stream.length; off += size) {
                int len = Math.min(size, stream.length - off);
                boolean holdsStart = off <= before.length && before.length < off + len;

                assertThat(framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, stream, off, len))
                        .as("read size %d at %d", size, off).isEqualTo(holdsStart);
            }
        }
    }

    @Test
    void everyRecordOfTheTypeIsReported() {
        byte[] stream = concat(record(TlsRecordFraming.HANDSHAKE, 4, 0), record(TlsRecordFraming.HANDSHAKE, 4, 0));
        TlsRecordFraming framing = new TlsRecordFraming();

        assertThat(framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, stream, 0, 5)).isTrue();
        assertThat(framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, stream, 5, 4)).isFalse();
        assertThat(framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, stream, 9, 9)).isTrue();
    }

    @Test
    void aZeroLengthRecordIsFollowedAtOnceByTheNextHeader() {
        byte[] stream = concat(record(APPLICATION_DATA, 0, 0), record(TlsRecordFraming.HANDSHAKE, 0, 0));
        TlsRecordFraming framing = new TlsRecordFraming();

        assertThat(framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, stream, 0, 5)).isFalse();
        assertThat(framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, stream, 5, 5)).isTrue();
    }
}
