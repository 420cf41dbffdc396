package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Forms#decode}, {@link Forms#decodeMulti} and {@link Forms#encode}: libsoup's form semantics. */
class FormsTest {

    @Test
    void decodesNameValuePairsInOrder() {
        assertThat(Forms.decode("b=2&a=1&c=3")).containsExactly(entry("b", "2"), entry("a", "1"), entry("c", "3"));
    }

    @Test
    void libsoupQueryExampleDropsPairsWithoutEqualsAndKeepsLastValue() {
        // libsoup-reference B.9: GET /x?x=1&y&z=a+b&x=2 gives {x:"2", z:"a b"}
        assertThat(Forms.decode("x=1&y&z=a+b&x=2")).containsOnly(entry("x", "2"), entry("z", "a b"));
    }

    @Test
    void plusIsSpaceButEncodedPlusIsPlus() {
        assertThat(Forms.decode("q=a+b%2Bc")).containsExactly(entry("q", "a b+c"));
    }

    @Test
    void percentEscapesAreDecodedAsUtf8() {
        assertThat(Forms.decode("name=%C3%A9t%C3%A9&emoji=%F0%9F%98%80")).containsExactly(entry("name", "été"), entry("emoji", "😀"));
    }

    @Test
    void hexDigitsOfEscapesAreCaseInsensitive() {
        assertThat(Forms.decode("a=%2f%2F%c3%A9")).containsExactly(entry("a", "//é"));
    }

    @Test
    void namesArePercentDecodedToo() {
        assertThat(Forms.decode("first+name=x&a%26b=y")).containsExactly(entry("first name", "x"), entry("a&b", "y"));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacter() {
        assertThat(Forms.decode("a=%FF%FE")).containsExactly(entry("a", "\uFFFD\uFFFD"));
    }

    @Test
    void nonAsciiCharactersPassThrough() {
        assertThat(Forms.decode("a=é%20ü")).containsExactly(entry("a", "é ü"));
    }

    @Test
    void emptyValueIsKept() {
        assertThat(Forms.decode("a=&b=1")).containsExactly(entry("a", ""), entry("b", "1"));
    }

    @Test
    void emptyNameIsKept() {
        assertThat(Forms.decode("=v")).containsExactly(entry("", "v"));
    }

    @Test
    void onlyTheFirstEqualsSeparatesNameFromValue() {
        assertThat(Forms.decode("expr=a=b=c")).containsExactly(entry("expr", "a=b=c"));
    }

    @Test
    void emptyStringGivesEmptyMap() {
        assertThat(Forms.decode("")).isEmpty();
    }

    @Test
    void emptyPairsAreIgnored() {
        assertThat(Forms.decode("&&a=1&&")).containsExactly(entry("a", "1"));
    }

    @Test
    void resultIsMutable() {
        Map<String, String> form = Forms.decode("a=1");
        form.put("b", "2");
        assertThat(form).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%zz", "a=%4", "a=%", "a=x%g1", "%zz=1", "a=1&b=%4", "a=%%41", "a=%\u0661\u0662"})
    void badEscapeIsRejected(String form) {
        assertThatThrownBy(() -> Forms.decode(form))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad percent-escape");
    }

    @Test
    void badEscapeMessageSaysWhereAndWhat() {
        assertThatThrownBy(() -> Forms.decode("ok=1&a=%zz"))
                .hasMessage("bad percent-escape \"%zz\" at index 7 of form data");
    }

    @Test
    void truncatedEscapeAtEndOfValueIsRejectedEvenWhenMorePairsFollow() {
        assertThatThrownBy(() -> Forms.decode("a=%4&b=1")).hasMessage("bad percent-escape \"%4\" at index 2 of form data");
    }

    @Test
    void badEscapeInAPairWithoutEqualsStillRejectsTheForm() {
        assertThatThrownBy(() -> Forms.decode("a=1&junk%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullFormIsRejected() {
        assertThatThrownBy(() -> Forms.decode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void decodeMultiKeepsEveryValueOfARepeatedNameInOrder() {
        assertThat(Forms.decodeMulti("x=1&y=a&x=2&x=3"))
                .containsExactly(entry("x", List.of("1", "2", "3")), entry("y", List.of("a")));
    }

    @Test
    void decodeMultiDropsPairsWithoutEquals() {
        assertThat(Forms.decodeMulti("flag&x=1")).containsExactly(entry("x", List.of("1")));
    }

    @Test
    void decodeMultiRejectsBadEscapes() {
        assertThatThrownBy(() -> Forms.decodeMulti("x=%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeKeepsUnreservedCharactersAndTurnsSpaceIntoPlus() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "John Smith");
        fields.put("a-b_c.d", "AZaz09");
        assertThat(Forms.encode(fields)).isEqualTo("name=John+Smith&a-b_c.d=AZaz09");
    }

    @Test
    void encodePercentEncodesReservedCharactersInUpperCase() {
        assertThat(Forms.encode(Map.of("q", "a+b&c=d/e?f%*~"))).isEqualTo("q=a%2Bb%26c%3Dd%2Fe%3Ff%25%2A%7E");
    }

    @Test
    void encodeWritesUtf8Escapes() {
        assertThat(Forms.encode(Map.of("é", "€😀"))).isEqualTo("%C3%A9=%E2%82%AC%F0%9F%98%80");
    }

    @Test
    void encodeReplacesALoneSurrogate() {
        assertThat(Forms.encode(Map.of("a", "\uD800"))).isEqualTo("a=%EF%BF%BD");
    }

    @Test
    void encodeKeepsASupplementaryCharacterWhoseLowBitsLookLikeASurrogate() {
        // found by fuzzing: U+1D800 was taken for the surrogate U+D800 (its low 16 bits) and became U+FFFD
        String text = new String(Character.toChars(0x1D800)) + new String(Character.toChars(0xEDB6D));
        assertThat(Forms.encode(Map.of("a", text))).isEqualTo("a=%F0%9D%A0%80%F3%AD%AD%AD");
        assertThat(Forms.decode(Forms.encode(Map.of("a", text)))).containsEntry("a", text);
    }

    @Test
    void encodeOfEmptyMapIsEmpty() {
        assertThat(Forms.encode(Map.of())).isEmpty();
    }

    @Test
    void encodeRejectsNullValue() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("a", null);
        assertThatThrownBy(() -> Forms.encode(fields)).isInstanceOf(NullPointerException.class).hasMessageContaining("a");
    }

    @Test
    void encodeMultiWritesOnePairPerValue() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("x", List.of("1", "2"));
        fields.put("y", List.of("a b"));
        assertThat(Forms.encodeMulti(fields)).isEqualTo("x=1&x=2&y=a+b");
    }

    @Test
    void encodeThenDecodeGivesTheSameFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("text", "line1\r\nline2 & more = 100% \u00e9\u4e2d😀");
        fields.put("", "empty name");
        fields.put("plus+", "+");
        assertThat(Forms.decode(Forms.encode(fields))).isEqualTo(fields);
    }

    @Test
    void encodeMultiThenDecodeMultiGivesTheSameFields() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("x", List.of("1", "", "a&b"));
        fields.put("y", List.of("z"));
        assertThat(Forms.decodeMulti(Forms.encodeMulti(fields))).isEqualTo(fields);
    }
}
