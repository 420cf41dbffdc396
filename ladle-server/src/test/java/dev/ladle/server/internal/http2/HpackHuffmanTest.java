package dev.ladle.server.internal.http2;

import static dev.ladle.server.internal.http2.HpackTesting.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HpackHuffmanTest {

    private static String roundTrip(String s) throws HpackException {
        byte[] encoded = new byte[s.length() * 4 + 4];
        int length = HuffmanEncoder.encode(s, encoded, 0);
        return decode(encoded, length);
    }

    private static String decode(byte[] encoded, int length) throws HpackException {
        byte[] decoded = new byte[HuffmanDecoder.maxDecodedLength(length)];
        int n = HuffmanDecoder.decode(encoded, 0, length, decoded, 0);
        return new String(decoded, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String encodeToHex(String s) {
        byte[] encoded = new byte[s.length() * 4 + 4];
        return hex(encoded, HuffmanEncoder.encode(s, encoded, 0));
    }

    @Test
    void derivedCodesMatchTheRfcTable() {
        assertThat(HuffmanCode.code(0)).isEqualTo(0x1ff8);
        assertThat(HuffmanCode.code(1)).isEqualTo(0x7fffd8);
        assertThat(HuffmanCode.code(9)).isEqualTo(0xffffea);
        assertThat(HuffmanCode.code(10)).isEqualTo(0x3ffffffc);
        assertThat(HuffmanCode.code(' ')).isEqualTo(0x14);
        assertThat(HuffmanCode.code('&')).isEqualTo(0xf8);
        assertThat(HuffmanCode.code('0')).isEqualTo(0x0);
        assertThat(HuffmanCode.code('z')).isEqualTo(0x7b);
        assertThat(HuffmanCode.code('~')).isEqualTo(0x1ffd);
        assertThat(HuffmanCode.code(127)).isEqualTo(0xffffffc);
        assertThat(HuffmanCode.code(128)).isEqualTo(0xfffe6);
        assertThat(HuffmanCode.code(203)).isEqualTo(0x7ffffde);
        assertThat(HuffmanCode.code(254)).isEqualTo(0x7fffff0);
        assertThat(HuffmanCode.code(255)).isEqualTo(0x3ffffee);
        assertThat(HuffmanCode.code(HuffmanCode.EOS)).isEqualTo(0x3fffffff);
    }

    @Test
    void codeLengthsDescribeACompletePrefixCode() {
        long kraft = 0; // sum of 2^(30 - length): exactly 2^30 for a complete code
        for (int symbol = 0; symbol <= HuffmanCode.EOS; symbol++) {
            kraft += 1L << (HuffmanCode.MAX_LENGTH - HuffmanCode.length(symbol));
        }
        assertThat(kraft).isEqualTo(1L << HuffmanCode.MAX_LENGTH);
    }

    @Test
    void encoderProducesTheRfcExamples() {
        assertThat(encodeToHex("www.example.com")).isEqualTo("f1e3c2e5f23a6ba0ab90f4ff");
        assertThat(encodeToHex("no-cache")).isEqualTo("a8eb10649cbf");
        assertThat(encodeToHex("custom-key")).isEqualTo("25a849e95ba97d7f");
        assertThat(encodeToHex("302")).isEqualTo("6402");
        assertThat(encodeToHex("Mon, 21 Oct 2013 20:13:21 GMT"))
                .isEqualTo("d07abe941054d444a8200595040b8166e082a62d1bff");
        assertThat(encodeToHex("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"))
                .isEqualTo("94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007");
    }

    @Test
    void decoderReadsTheRfcExamples() throws HpackException {
        byte[] date = hex("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff");
        assertThat(decode(date, date.length)).isEqualTo("Mon, 21 Oct 2013 20:13:21 GMT");
        byte[] url = hex("9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3");
        assertThat(decode(url, url.length)).isEqualTo("https://www.example.com");
    }

    @Test
    void everyOctetRoundTripsAloneAndTogether() throws HpackException {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c < 256; c++) {
            String one = String.valueOf((char) c);
            assertThat(roundTrip(one)).as("octet %d", c).isEqualTo(one);
            all.append((char) c);
        }
        assertThat(roundTrip(all.toString())).isEqualTo(all.toString());
        assertThat(roundTrip(all.reverse().toString())).isEqualTo(all.toString());
    }

    @Test
    void randomStringsRoundTrip() throws HpackException {
        Random random = new Random(7541);
        for (int i = 0; i < 2000; i++) {
            char[] chars = new char[random.nextInt(60)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextBoolean() ? random.nextInt(256) : 'a' + random.nextInt(26));
            }
            String s = new String(chars);
            assertThat(roundTrip(s)).isEqualTo(s);
        }
    }

    @Test
    void emptyInputDecodesToTheEmptyString() throws HpackException {
        assertThat(decode(new byte[0], 0)).isEmpty();
    }

    @Test
    void eosSymbolIsRefused() {
        // 30 one bits are EOS, then two bits of padding
        assertThatThrownBy(() -> decode(hex("ffffffff"), 4)).isInstanceOf(HpackException.class);
        // "a" (00011), then EOS
        assertThatThrownBy(() -> decode(hex("1fffffffff"), 5)).isInstanceOf(HpackException.class);
    }

    @Test
    void paddingLongerThanSevenBitsIsRefused() {
        // a whole octet of ones and nothing else
        assertThatThrownBy(() -> decode(hex("ff"), 1)).isInstanceOf(HpackException.class);
        // "a" (00011) then eleven ones
        assertThatThrownBy(() -> decode(hex("1fff"), 2)).isInstanceOf(HpackException.class);
    }

    @Test
    void paddingThatIsNotAllOnesIsRefused() {
        // "a" (00011) then 000
        assertThatThrownBy(() -> decode(hex("18"), 1)).isInstanceOf(HpackException.class);
        // "a" then 110
        assertThatThrownBy(() -> decode(hex("1e"), 1)).isInstanceOf(HpackException.class);
    }

    @Test
    void sevenBitsOfOnesArePadding() throws HpackException {
        // "a" (00011) then 111
        assertThat(decode(hex("1f"), 1)).isEqualTo("a");
    }

    @Test
    void huffmanIsOnlyChosenWhenShorter() {
        assertThat(HuffmanEncoder.shorterLength("")).isEqualTo(-1);
        assertThat(HuffmanEncoder.shorterLength("www.example.com")).isEqualTo(12);
        assertThat(HuffmanEncoder.shorterLength("\u0000\u0001\u0002")).isEqualTo(-1);
        assertThat(HuffmanEncoder.shorterLength("a")).isEqualTo(-1); // one octet either way
        assertThat(HuffmanEncoder.shorterLength("aa")).isEqualTo(-1); // ten bits: two octets
        assertThat(HuffmanEncoder.shorterLength("aaa")).isEqualTo(2);
    }

    @Test
    void charsAboveLatin1AreSentAsQuestionMarks() throws HpackException {
        assertThat(roundTrip("a\u20acb")).isEqualTo("a?b");
    }
}
