package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.HpackTesting.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladle.server.internal.http2.HpackTesting.RecordingSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpackDecoderTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private final RecordingSink sink = new RecordingSink();

    private List<String> decode(HpackDecoder decoder, String dump) throws HpackException {
        sink.fields.clear();
        byte[] block = hex(dump);
        assertThat(decoder.decode(block, 0, block.length, NO_LIMIT, sink)).isTrue();
        return sink.fields;
    }

    private static List<String> tableOf(HpackDecoder decoder) {
        List<String> entries = new ArrayList<>();
        HpackDynamicTable table = decoder.table();
        for (int i = 0; i < table.length(); i++) {
            entries.add(table.name(i) + ": " + table.value(i));
        }
        return entries;
    }

    private static void assertMalformed(HpackDecoder decoder, String dump) {
        byte[] block = hex(dump);
        assertThatThrownBy(() -> decoder.decode(block, 0, block.length, NO_LIMIT, (n, v) -> { }))
                .isInstanceOf(HpackException.class);
    }

    private static void assertMalformed(String dump) {
        assertMalformed(new HpackDecoder(4096), dump);
    }

    // RFC 7541 C.2: one representation each

    @Test
    void literalWithIndexingIsDeliveredAndAddedToTheTable() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))
                .containsExactly("custom-key: custom-header");
        assertThat(tableOf(decoder)).containsExactly("custom-key: custom-header");
        assertThat(decoder.dynamicTableSize()).isEqualTo(55);
    }

    @Test
    void literalWithoutIndexingLeavesTheTableEmpty() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "040c 2f73 616d 706c 652f 7061 7468")).containsExactly(":path: /sample/path");
        assertThat(decoder.dynamicTableSize()).isZero();
    }

    @Test
    void neverIndexedLiteralLeavesTheTableEmpty() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "1008 7061 7373 776f 7264 0673 6563 7265 74")).containsExactly("password: secret");
        assertThat(decoder.dynamicTableSize()).isZero();
    }

    @Test
    void indexedFieldComesFromTheStaticTable() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "82")).containsExactly(":method: GET");
        assertThat(decoder.dynamicTableSize()).isZero();
    }

    // RFC 7541 C.3 and C.4: three requests, without and with Huffman coding

    @Test
    void requestSequenceWithoutHuffmanDecodesAsInTheRfc() throws HpackException {
        assertRequestSequence(
                "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "8286 84be 5808 6e6f 2d63 6163 6865",
                "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65");
    }

    @Test
    void requestSequenceWithHuffmanDecodesAsInTheRfc() throws HpackException {
        assertRequestSequence(
                "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                "8286 84be 5886 a8eb 1064 9cbf",
                "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
    }

    private void assertRequestSequence(String first, String second, String third) throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, first))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(tableOf(decoder)).containsExactly(":authority: www.example.com");
        assertThat(decoder.dynamicTableSize()).isEqualTo(57);

        assertThat(decode(decoder, second)).containsExactly(":method: GET", ":scheme: http", ":path: /",
                ":authority: www.example.com", "cache-control: no-cache");
        assertThat(tableOf(decoder)).containsExactly("cache-control: no-cache", ":authority: www.example.com");
        assertThat(decoder.dynamicTableSize()).isEqualTo(110);

        assertThat(decode(decoder, third)).containsExactly(":method: GET", ":scheme: https", ":path: /index.html",
                ":authority: www.example.com", "custom-key: custom-value");
        assertThat(tableOf(decoder)).containsExactly("custom-key: custom-value", "cache-control: no-cache",
                ":authority: www.example.com");
        assertThat(decoder.dynamicTableSize()).isEqualTo(164);
    }

    // RFC 7541 C.5 and C.6: three responses with a 256-octet table, so entries are evicted

    @Test
    void responseSequenceWithoutHuffmanEvictsAsInTheRfc() throws HpackException {
        assertResponseSequence("""
                4803 3330 3258 0770 7269 7661 7465 611d
                4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                2032 303a 3133 3a32 3120 474d 546e 1768
                7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                6c65 2e63 6f6d""",
                "4803 3330 37c1 c0bf", """
                88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
                3230 3133 2032 303a 3133 3a32 3220 474d
                54c0 5a04 677a 6970 7738 666f 6f3d 4153
                444a 4b48 514b 425a 584f 5157 454f 5049
                5541 5851 5745 4f49 553b 206d 6178 2d61
                6765 3d33 3630 303b 2076 6572 7369 6f6e
                3d31""");
    }

    @Test
    void responseSequenceWithHuffmanEvictsAsInTheRfc() throws HpackException {
        assertResponseSequence("""
                4882 6402 5885 aec3 771a 4b61 96d0 7abe
                9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
                e9ae 82ae 43d3""",
                "4883 640e ffc1 c0bf", """
                88c1 6196 d07a be94 1054 d444 a820 0595
                040b 8166 e084 a62d 1bff c05a 839b d9ab
                77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
                3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                9587 3160 65c0 03ed 4ee5 b106 3d50 07""");
    }

    private void assertResponseSequence(String first, String second, String third) throws HpackException {
        HpackDecoder decoder = new HpackDecoder(256);
        String date21 = "date: Mon, 21 Oct 2013 20:13:21 GMT";
        String location = "location: https://www.example.com";
        assertThat(decode(decoder, first)).containsExactly(":status: 302", "cache-control: private", date21, location);
        assertThat(tableOf(decoder)).containsExactly(location, date21, "cache-control: private", ":status: 302");
        assertThat(decoder.dynamicTableSize()).isEqualTo(222);

        assertThat(decode(decoder, second)).containsExactly(":status: 307", "cache-control: private", date21, location);
        assertThat(tableOf(decoder)).containsExactly(":status: 307", location, date21, "cache-control: private");
        assertThat(decoder.dynamicTableSize()).isEqualTo(222);

        String date22 = "date: Mon, 21 Oct 2013 20:13:22 GMT";
        String cookie = "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
        assertThat(decode(decoder, third)).containsExactly(":status: 200", "cache-control: private", date22, location,
                "content-encoding: gzip", cookie);
        assertThat(tableOf(decoder)).containsExactly(cookie, "content-encoding: gzip", date22);
        assertThat(decoder.dynamicTableSize()).isEqualTo(215);
    }

    // size updates

    @Test
    void sizeUpdateAtTheStartEvictsAndBoundsLaterEntries() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        decode(decoder, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        assertThat(decode(decoder, "20 82")).containsExactly(":method: GET");
        assertThat(decoder.dynamicTableSize()).isZero();
        // the table now holds nothing, so a literal with indexing is delivered but not kept
        assertThat(decode(decoder, "4003 6b65 7903 7661 6c")).containsExactly("key: val");
        assertThat(decoder.dynamicTableSize()).isZero();
    }

    @Test
    void twoSizeUpdatesMayOpenABlock() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        assertThat(decode(decoder, "20 3f e1 1f 82")).containsExactly(":method: GET");
        assertThat(decoder.table().maxSize()).isEqualTo(4096);
    }

    @Test
    void sizeUpdateAboveTheAdvertisedMaximumIsMalformed() {
        assertMalformed(new HpackDecoder(256), "3f e2 01"); // 257
        assertMalformed(new HpackDecoder(4096), "3f e2 1f"); // 4097
    }

    @Test
    void sizeUpdateAfterAFieldIsMalformed() {
        assertMalformed("82 20");
    }

    @Test
    void loweredMaximumRequiresASizeUpdateInTheNextBlock() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        decoder.setMaxTableSize(100);
        assertMalformed(decoder, "82");

        HpackDecoder obeyed = new HpackDecoder(4096);
        obeyed.setMaxTableSize(100);
        assertThat(decode(obeyed, "3f 45 82")).containsExactly(":method: GET"); // update to 100
        assertMalformed(obeyed, "3f 46"); // 101 is above the new maximum
    }

    // malformations

    @Test
    void indexZeroIsMalformed() {
        assertMalformed("80");
    }

    @Test
    void indexPastTheTablesIsMalformed() {
        assertMalformed("be"); // 62 with an empty dynamic table
        assertMalformed("ff 80 01"); // 255
    }

    @Test
    void literalNameIndexPastTheTablesIsMalformed() {
        assertMalformed("7e 03 61 62 63"); // literal with indexing, name index 62
        assertMalformed("0f 30 03 61 62 63"); // without indexing, name index 63
    }

    @Test
    void integerAboveTwoToTheThirtyOneMinusOneIsMalformed() {
        // index 2^31: 127 + 0x7fffff81, in 7-bit groups 01 7f 7f 7f 07
        assertMalformed("ff 81 ff ff ff 07");
        // a sixth continuation octet is refused even when the value would stay small
        assertMalformed("ff 80 80 80 80 80 00");
    }

    @Test
    void largestIntegerIsReadAsAnIndexThatIsOutOfRange() {
        // 2^31 - 1 = 127 + 0x7fffff80: decodes, then fails only as an index
        byte[] block = hex("ff 80 ff ff ff 07");
        assertThatThrownBy(() -> new HpackDecoder(4096).decode(block, 0, block.length, NO_LIMIT, (n, v) -> { }))
                .isInstanceOf(HpackException.class)
                .hasMessageContaining("index 2147483647");
    }

    @Test
    void integerCutShortByTheEndOfTheBlockIsMalformed() {
        assertMalformed("ff");
        assertMalformed("ff 80");
    }

    @Test
    void stringLongerThanTheBlockIsMalformed() {
        assertMalformed("40 05 61 62"); // name of 5 octets, 2 present
        assertMalformed("04 05 61 62"); // value of 5 octets, 2 present
        assertMalformed("04"); // value missing
        assertMalformed("40 7f ff ff ff 07 61"); // a length near 2^31
    }

    @Test
    void huffmanStringWithEosIsMalformed() {
        assertMalformed("04 84 ff ff ff ff");
    }

    @Test
    void huffmanStringWithLongOrWrongPaddingIsMalformed() {
        assertMalformed("04 82 1f ff"); // "a" then eleven ones
        assertMalformed("04 81 18"); // "a" then 000
        assertMalformed("40 81 18 01 61"); // the same in a name
    }

    @Test
    void badHuffmanIsFoundEvenInFieldsPastTheListLimit() {
        HpackDecoder decoder = new HpackDecoder(4096);
        byte[] block = hex("82 04 81 18");
        assertThatThrownBy(() -> decoder.decode(block, 0, block.length, 10, (n, v) -> { }))
                .isInstanceOf(HpackException.class);
    }

    @Test
    void decodesAFragmentOfALargerArray() throws HpackException {
        byte[] array = hex("ff ff 82 84 ff");
        RecordingSink fields = new RecordingSink();
        assertThat(new HpackDecoder(4096).decode(array, 2, 2, NO_LIMIT, fields)).isTrue();
        assertThat(fields.fields).containsExactly(":method: GET", ":path: /");
    }

    // the header-list bound

    @Test
    void listOverTheLimitStopsDeliveryButKeepsTheTableInSync() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        // ":method: GET" (42) + ":path: /" (38) fit in 80; then "custom-key: custom-header" (55, indexed),
        // "password: secret" (never indexed) and ":method: GET" are past it
        byte[] block = hex("82 84 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"
                + "1008 7061 7373 776f 7264 0673 6563 7265 74 82");
        RecordingSink fields = new RecordingSink();
        assertThat(decoder.decode(block, 0, block.length, 80, fields)).isFalse();
        assertThat(fields.fields).containsExactly(":method: GET", ":path: /");
        assertThat(tableOf(decoder)).containsExactly("custom-key: custom-header");

        // the next block refers to the entry added past the limit
        assertThat(decode(decoder, "be")).containsExactly("custom-key: custom-header");
    }

    @Test
    void listExactlyAtTheLimitIsDeliveredWhole() throws HpackException {
        byte[] block = hex("82 84");
        RecordingSink fields = new RecordingSink();
        assertThat(new HpackDecoder(4096).decode(block, 0, block.length, 80, fields)).isTrue();
        assertThat(fields.fields).hasSize(2);
    }

    @Test
    void smallBlockReferencingABigEntryThousandsOfTimesStopsAtTheLimit() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096);
        // one entry of "x: " + 4000 octets, then 10,000 one-octet references to it
        int valueLength = 4000;
        byte[] entry = new byte[6 + valueLength];
        int i = 0;
        entry[i++] = 0x40;
        entry[i++] = 1;
        entry[i++] = 'x';
        entry[i++] = 0x7f; // value length 4000 = 127 + 3873 (0x21 | 0x80, 0x1e)
        entry[i++] = (byte) 0xa1;
        entry[i++] = 0x1e;
        while (i < entry.length) {
            entry[i++] = 'v';
        }
        int[] delivered = {0};
        assertThat(decoder.decode(entry, 0, i, 8192, (n, v) -> delivered[0]++)).isTrue();
        assertThat(decoder.table().value(0)).hasSize(valueLength);

        byte[] bomb = new byte[10_000];
        java.util.Arrays.fill(bomb, (byte) 0xbe);
        List<String> values = new ArrayList<>();
        assertThat(decoder.decode(bomb, 0, bomb.length, 16 * 1024, (n, v) -> values.add(v))).isFalse();
        assertThat(values).hasSize(4); // 4 × 4033 octets fit in 16 KiB, the fifth does not
        // the table hands out its one string; nothing was built per reference
        assertThat(values).allSatisfy(v -> assertThat(v).isSameAs(decoder.table().value(0)));
    }

    @Test
    void literalsPastTheLimitBuildNoStrings() throws HpackException {
        // a literal past the limit is neither delivered nor indexed: nothing needs a string
        HpackDecoder decoder = new HpackDecoder(4096);
        byte[] block = hex("82 0003 6b65 7903 7661 6c");
        RecordingSink fields = new RecordingSink();
        assertThat(decoder.decode(block, 0, block.length, 42, fields)).isFalse();
        assertThat(fields.fields).containsExactly(":method: GET");
        assertThat(decoder.dynamicTableSize()).isZero();
    }

    @Test
    void tooLargeIndexedLiteralEmptiesTheTable() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(64);
        decode(decoder, "4003 6b65 7903 7661 6c"); // 38 octets
        assertThat(decoder.dynamicTableSize()).isEqualTo(38);
        // 32 + 3 + 30 = 65 octets > 64
        assertThat(decode(decoder, "4003 6b65 791e" + "61".repeat(30))).containsExactly("key: " + "a".repeat(30));
        assertThat(decoder.dynamicTableSize()).isZero();
        assertThat(decoder.table().length()).isZero();
    }
}
