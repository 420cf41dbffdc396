package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.HpackTesting.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.internal.http2.HpackTesting.RecordingSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HpackEncoderTest {
    private final HpackEncoder encoder = new HpackEncoder();

    private String block() {
        return hex(encoder.blockArray(), encoder.blockLength());
    }

    private List<String> decodeWith(HpackDecoder decoder) throws HpackException {
        RecordingSink sink = new RecordingSink();
        assertThat(decoder.decode(encoder.blockArray(), 0, encoder.blockLength(), Long.MAX_VALUE, sink)).isTrue();
        return sink.fields;
    }

    @Test
    void staticStatusCodesTakeOneOctet() {
        int[] codes = {200, 204, 206, 304, 400, 404, 500};
        for (int i = 0; i < codes.length; i++) {
            encoder.startBlock();
            encoder.status(codes[i]);
            assertThat(block()).isEqualTo(Integer.toHexString(0x88 + i));
        }
        assertThat(encoder.dynamicTableSize()).isZero();
    }

    @Test
    void otherStatusCodeIsIndexedAndThenTakesOneOctet() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        encoder.startBlock();
        encoder.status(302);
        assertThat(block()).isEqualTo("48826402"); // name index 8, Huffman "302"
        assertThat(decodeWith(decoder)).containsExactly(":status: 302");

        encoder.startBlock();
        encoder.status(302);
        assertThat(block()).isEqualTo("be");
        assertThat(decodeWith(decoder)).containsExactly(":status: 302");
    }

    @Test
    void statusOutsideThreeDigitsIsRefused() {
        encoder.startBlock();
        assertThatThrownBy(() -> encoder.status(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.status(1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void repeatedResponseHeadersBecomeOneOctetReferences() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        List<String> expected = List.of(":status: 200", "content-type: text/plain", "server: ladle",
                "date: Mon, 21 Oct 2013 20:13:21 GMT", "content-length: 13");
        for (int round = 0; round < 3; round++) {
            encoder.startBlock();
            encoder.status(200);
            encoder.header("content-type", "text/plain");
            encoder.header("server", "ladle");
            encoder.header("date", "Mon, 21 Oct 2013 20:13:21 GMT");
            encoder.header("content-length", "13");
            if (round > 0) {
                assertThat(encoder.blockLength()).isEqualTo(5);
            }
            assertThat(decodeWith(decoder)).isEqualTo(expected);
        }
    }

    @Test
    void staticNameAndValueMatchIsIndexed() {
        encoder.startBlock();
        encoder.header("accept-encoding", "gzip, deflate");
        encoder.header(":path", "/");
        assertThat(block()).isEqualTo("9084");
    }

    @Test
    void dynamicNameMatchIsUsedForANewValue() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        encoder.startBlock();
        encoder.header("x-custom", "a");
        encoder.header("x-custom", "b");
        // the second field refers to the first one's name at index 62 (0x40 | 62)
        assertThat(block()).endsWith("7e0162");
        assertThat(decodeWith(decoder)).containsExactly("x-custom: a", "x-custom: b");
    }

    @Test
    void sensitiveFieldsAreNeverIndexed() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        for (int round = 0; round < 2; round++) {
            encoder.startBlock();
            encoder.header("authorization", "Basic dXNlcjpwYXNz");
            encoder.header("set-cookie", "id=1");
            encoder.header("cookie", "");
            encoder.header("proxy-authorization", "x");
            // never-indexed with the static name index in a 4-bit prefix: 23, 55, 32, 49
            assertThat(block()).startsWith("1f08").contains("1f28").contains("1f1100").contains("1f2201");
            assertThat(encoder.dynamicTableSize()).isZero();
            assertThat(decodeWith(decoder)).containsExactly("authorization: Basic dXNlcjpwYXNz", "set-cookie: id=1",
                    "cookie: ", "proxy-authorization: x");
        }
    }

    @Test
    void valuesTakingMoreThanHalfTheTableAreNotIndexed() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        String big = "v".repeat(2100);
        encoder.startBlock();
        encoder.header("x-big", big);
        assertThat(encoder.blockArray()[0]).isZero(); // literal without indexing, new name
        assertThat(encoder.dynamicTableSize()).isZero();
        assertThat(decodeWith(decoder)).containsExactly("x-big: " + big);

        encoder.startBlock();
        encoder.header("x-big", "v".repeat(2000)); // 2037 octets: just under half
        assertThat(encoder.dynamicTableSize()).isEqualTo(2037);
    }

    @Test
    void peerTableSizeChangeIsSignalledAtTheStartOfTheNextBlock() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        encoder.startBlock();
        encoder.header("x-a", "1");
        decodeWith(decoder);
        assertThat(encoder.dynamicTableSize()).isEqualTo(36);

        encoder.setPeerMaxTableSize(0);
        decoder.setMaxTableSize(0);
        assertThat(encoder.dynamicTableSize()).isZero();
        encoder.startBlock();
        encoder.status(200);
        assertThat(block()).isEqualTo("2088");
        decodeWith(decoder);

        encoder.setPeerMaxTableSize(100);
        decoder.setMaxTableSize(100);
        encoder.startBlock();
        encoder.header("x-a", "1");
        assertThat(block()).startsWith("3f45");
        assertThat(decodeWith(decoder)).containsExactly("x-a: 1");
        assertThat(decoder.dynamicTableSize()).isEqualTo(36).isEqualTo(encoder.dynamicTableSize());
    }

    @Test
    void sizeThatWentDownAndUpSignalsTheSmallestFirst() {
        encoder.setPeerMaxTableSize(100);
        encoder.setPeerMaxTableSize(4096);
        encoder.startBlock();
        assertThat(block()).isEqualTo("3f453fe11f");
        encoder.startBlock();
        assertThat(encoder.blockLength()).isZero();
    }

    @Test
    void unchangedOrLargerSizesSignalNothing() {
        encoder.setPeerMaxTableSize(4096);
        encoder.setPeerMaxTableSize(1 << 20); // capped at 4096
        encoder.startBlock();
        assertThat(encoder.blockLength()).isZero();
    }

    @Test
    void nonLatin1CharsAreSentAsQuestionMarks() throws HpackException {
        encoder.startBlock();
        encoder.header("x-sign", "5\u20ac");
        assertThat(decodeWith(new HpackDecoder(4096))).containsExactly("x-sign: 5?");
    }

    @Test
    void randomHeaderListsRoundTripThroughTheDecoderWithTableSizeChanges() throws HpackException {
        Random random = new Random(20240521);
        HpackDecoder decoder = new HpackDecoder(4096);
        String[] names = {"content-type", "server", "date", "content-length", "cache-control", "etag",
            "set-cookie", "authorization", "x-request-id", "x-trace", ":status", "accept-encoding", "location",
            "vary", "x-" + "n".repeat(40)};
        String[] values = {"", "text/plain", "ladle", "gzip, deflate", "200", "no-cache", "/", "12345",
            "Mon, 21 Oct 2013 20:13:21 GMT", "\u00e9t\u00e9", "v".repeat(300)};
        int[] sizes = {0, 40, 64, 256, 1000, 4096, 8192};
        for (int blockNumber = 0; blockNumber < 2000; blockNumber++) {
            if (random.nextInt(20) == 0) {
                int size = sizes[random.nextInt(sizes.length)];
                encoder.setPeerMaxTableSize(size);
                decoder.setMaxTableSize(size);
                if (random.nextBoolean()) { // sometimes a second change before the next block
                    size = sizes[random.nextInt(sizes.length)];
                    encoder.setPeerMaxTableSize(size);
                    decoder.setMaxTableSize(size);
                }
            }
            List<String> sent = new ArrayList<>();
            encoder.startBlock();
            if (random.nextBoolean()) {
                int status = random.nextBoolean() ? 200 : 100 + random.nextInt(500);
                encoder.status(status);
                sent.add(":status: " + status);
            }
            for (int i = random.nextInt(12); i > 0; i--) {
                String name = names[random.nextInt(names.length)];
                String value = random.nextInt(4) == 0 ? randomLatin1(random) : values[random.nextInt(values.length)];
                encoder.header(name, value);
                sent.add(name + ": " + value);
            }
            assertThat(decodeWith(decoder)).as("block %d", blockNumber).isEqualTo(sent);
            assertThat(decoder.dynamicTableSize()).isEqualTo(encoder.dynamicTableSize());
            assertThat(decoder.table().length()).isEqualTo(encoder.table().length());
        }
    }

    private static String randomLatin1(Random random) {
        char[] chars = new char[random.nextInt(random.nextInt(10) == 0 ? 3000 : 30)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(256);
        }
        return new String(chars);
    }

    @Test
    void encodingATypicalResponseAllocatesNothingAfterWarmUp() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // com.sun.management is not readable from this module at compile time; reflection finds it at run time
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        String date = "Mon, 21 Oct 2013 20:13:21 GMT";
        for (int i = 0; i < 20_000; i++) {
            encodeTypicalResponse(date, i);
        }
        long before = (long) allocated.invoke(threads);
        for (int i = 0; i < 10_000; i++) {
            encodeTypicalResponse(date, i);
        }
        long after = (long) allocated.invoke(threads);
        assertThat(after - before).as("bytes allocated for 10,000 blocks").isLessThan(2_000);
    }

    private void encodeTypicalResponse(String date, int i) {
        encoder.startBlock();
        encoder.status((i & 1) == 0 ? 200 : 404);
        encoder.header("content-type", "text/plain");
        encoder.header("server", "ladle");
        encoder.header("date", date);
        encoder.header("content-length", "13");
    }
}
