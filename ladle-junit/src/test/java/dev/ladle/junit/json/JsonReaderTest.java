package dev.ladle.junit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Json.parse: RFC 8259's grammar, its edge cases, our documented decisions, and the errors' positions. */
class JsonReaderTest {

    @Test
    void readsEveryKindOfValueIntoTheTree() {
        JsonValue value = Json.parse(" {\"s\":\"x\",\"n\":-1.5e2,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,{}],\"o\":{\"k\":[]}} ");
        assertThat(value).isEqualTo(JsonObject.builder()
                .put("s", "x")
                .put("n", JsonNumber.of(new BigDecimal("-150")))
                .put("t", true)
                .put("f", false)
                .put("z", JsonNull.INSTANCE)
                .put("a", JsonArray.of(JsonNumber.of(1), JsonObject.of()))
                .put("o", JsonObject.builder().put("k", JsonArray.of()).build())
                .build());
    }

    @Test
    void objectMembersKeepTheOrderOfTheText() {
        JsonObject object = (JsonObject) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(object.members().keySet()).containsExactly("z", "a", "m");
        assertThat(object.members()).isUnmodifiable();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "1", "\"\"", "true", "false", "null", "[]", "{}", " \t\r\n7\n"})
    void anyValueMayStandAtTheTopLevel(String text) {
        assertThat(Json.parse(text)).isNotNull();
    }

    @Test
    void numbersKeepTheirExactDecimal() {
        assertThat(((JsonNumber) Json.parse("0.1")).value()).isEqualTo(new BigDecimal("0.1"));
        assertThat(((JsonNumber) Json.parse("12345678901234567890123")).value())
                .isEqualTo(new BigDecimal("12345678901234567890123"));
        assertThat(((JsonNumber) Json.parse("1.0")).value().scale()).isEqualTo(1);
    }

    @Test
    void numbersInDifferentNotationsAreEqualWhenTheirValuesAre() {
        assertThat(Json.parse("1")).isEqualTo(Json.parse("1.0")).isEqualTo(Json.parse("10e-1")).isEqualTo(Json.parse("0.1E1"));
        assertThat(Json.parse("1").hashCode()).isEqualTo(Json.parse("1.000").hashCode());
        assertThat(Json.parse("1")).isNotEqualTo(Json.parse("1.0001"));
    }

    @Test
    void minusZeroReadsAsZero() {
        assertThat(Json.parse("-0")).isEqualTo(Json.parse("0")).isEqualTo(Json.parse("-0.0e5"));
        assertThat(Json.write(Json.parse("-0"))).isEqualTo("0");
    }

    @Test
    void hugeExponentsStayExactRatherThanBecomingInfinity() {
        JsonNumber big = (JsonNumber) Json.parse("1e400");
        assertThat(big.value()).isEqualTo(new BigDecimal("1E+400"));
        assertThat(big).isNotEqualTo(Json.parse("1e401"));
        assertThat(big.doubleValue()).isInfinite();
        assertThat(Json.write(big)).isEqualTo("1E+400");
        assertThat(Json.parse("1e-400")).isNotEqualTo(Json.parse("0"));
    }

    @Test
    void anExponentBeyondWhatADecimalHoldsIsAnError() {
        assertThatThrownBy(() -> Json.parse("1e99999999999"))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "1.5.2"})
    void malformedNumbersAreRejected(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonParseException.class);
    }

    @Test
    void leadingZerosAreRejectedWithAReason() {
        JsonParseException e = catchThrowableOfType(JsonParseException.class, () -> Json.parse("[1, 012]"));
        assertThat(e.reason()).isEqualTo("leading zeros are not allowed in a number");
        assertThat(e.column()).isEqualTo(5);
    }

    @Test
    void trailingCommasAreRejected() {
        assertThatThrownBy(() -> Json.parse("[1,2,]")).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 6: expected a value after ',' but found ']' (trailing commas are not allowed)");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("trailing commas are not allowed");
    }

    @Test
    void duplicateMemberNamesAreRejectedNamingTheSecond() {
        assertThatThrownBy(() -> Json.parse("{\"id\":1,\n \"id\":2}")).isInstanceOf(JsonParseException.class)
                .hasMessage("line 2, column 2: duplicate member name \"id\"");
    }

    @Test
    void escapesAreDecoded() {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC\""))
                .isEqualTo(JsonString.of("\" \\ / \b \f \n \r \t é €"));
    }

    @Test
    void escapedSurrogatePairsFormOneCodePoint() {
        JsonString s = (JsonString) Json.parse("\"\\uD83D\\uDE00\"");
        assertThat(s.value()).isEqualTo("😀");
        assertThat(s.value().codePointCount(0, s.value().length())).isEqualTo(1);
    }

    @Test
    void rawSupplementaryCharactersAreRead() {
        assertThat(Json.parse("\"😀 𝄞\"".getBytes(StandardCharsets.UTF_8))).isEqualTo(JsonString.of("😀 𝄞"));
    }

    @Test
    void anEscapedUnpairedSurrogateIsKeptAsTheLoneUnitAndWrittenBackEscaped() {
        JsonString s = (JsonString) Json.parse("\"a\\uDC00b\"");
        assertThat(s.value()).isEqualTo("a" + (char) 0xDC00 + "b");
        assertThat(Json.write(s)).isEqualTo("\"a\\uDC00b\"");
    }

    @Test
    void aRawUnpairedSurrogateInAStringIsRejected() {
        assertThatThrownBy(() -> Json.parse("\"a" + (char) 0xD800 + "\"")).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 3: unpaired surrogate U+D800 in a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\x41\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\'\"", "\"\\"})
    void invalidEscapesAreRejected(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonParseException.class);
    }

    @Test
    void rawControlCharactersInStringsAreRejected() {
        assertThatThrownBy(() -> Json.parse("\"tab\there\"")).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 5: control character U+0009 must be escaped in a string");
    }

    @Test
    void anUnterminatedStringNamesWhereItStarted() {
        assertThatThrownBy(() -> Json.parse("{\"a\": \"open")).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 12: expected '\"' to end the string that starts at line 1, column 7 but found the end of the text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[", "{\"a\"}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]", "tru", "nul", "True",
        "[1]]", "1 2", "// c\n1", "/* c */1", "\"a\" \"b\"", "[\"a\",]", "\u00a01", "\u000b1"})
    void textThatIsNotExactlyOneValueIsRejected(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonParseException.class);
    }

    @Test
    void errorsNameTheLineTheColumnAndWhatWasExpected() {
        JsonParseException e = catchThrowableOfType(JsonParseException.class,
                () -> Json.parse("{\n  \"a\": 1,\r\n  \"b\": 2\r  \"c\": 3\n}"));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.offset()).isEqualTo(24);
        assertThat(e.getMessage()).isEqualTo("line 4, column 3: expected ',' or '}' but found '\"'");
    }

    @Test
    void anEmptyTextSaysAValueWasExpected() {
        assertThatThrownBy(() -> Json.parse("  ")).hasMessage("line 1, column 3: expected a value but found the end of the text");
    }

    @Test
    void textAfterTheValueIsRejected() {
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessage("line 1, column 4: expected the end of the text after the value but found 'x'");
    }

    @Test
    void aMisspelledLiteralSuggestsTheWord() {
        assertThatThrownBy(() -> Json.parse("[nul]")).hasMessageContaining("(did you mean null?)");
    }

    @Test
    void bytesAreReadAsUtf8() {
        assertThat(Json.parse("{\"café\":\"€\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(JsonObject.builder().put("café", "€").build());
    }

    @Test
    void malformedUtf8IsRejectedNamingTheByte() {
        byte[] bytes = {'[', '"', 'a', (byte) 0xC3, '"', ']'};
        assertThatThrownBy(() -> Json.parse(bytes)).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 4: invalid UTF-8: byte 0xC3 at byte offset 3");
    }

    @Test
    void utf8EncodedSurrogatesAreRejected() {
        byte[] cesu = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThatThrownBy(() -> Json.parse(cesu)).isInstanceOf(JsonParseException.class).hasMessageContaining("invalid UTF-8");
    }

    @Test
    void aByteOrderMarkIsRejected() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'};
        assertThatThrownBy(() -> Json.parse(bom)).isInstanceOf(JsonParseException.class).hasMessageContaining("byte order mark");
    }

    @Test
    void hostileNestingFailsWithAParseErrorNotAStackOverflow() {
        String deep = "[".repeat(1_000_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 513: nesting deeper than the limit of 512 levels");
        String deepObjects = "{\"a\":".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deepObjects)).isInstanceOf(JsonParseException.class).hasMessageContaining("nesting deeper");
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        String atLimit = "[".repeat(512) + "]".repeat(512);
        assertThat(Json.write(Json.parse(atLimit))).isEqualTo(atLimit);
        assertThatThrownBy(() -> Json.parse(atLimit, JsonLimits.DEFAULT.withMaxDepth(511))).isInstanceOf(JsonParseException.class);
    }

    @Test
    void textLongerThanTheLimitIsRejectedBeforeReading() {
        JsonLimits small = JsonLimits.DEFAULT.withMaxLength(10);
        assertThat(Json.parse("[1,2,3,4]", small)).isEqualTo(Json.parse("[1,2,3,4]"));
        assertThatThrownBy(() -> Json.parse("[1,2,3,4,5]", small)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("longer than the limit of 10 characters");
        assertThatThrownBy(() -> Json.parse(new byte[40], small)).isInstanceOf(JsonParseException.class)
                .hasMessageContaining("longer than the limit");
    }

    @Test
    void numbersLongerThanTheLimitAreRejected() {
        String longNumber = "1".repeat(1001);
        assertThatThrownBy(() -> Json.parse(longNumber)).isInstanceOf(JsonParseException.class)
                .hasMessage("line 1, column 1: number longer than the limit of 1000 characters");
        assertThat(Json.parse(longNumber, JsonLimits.DEFAULT.withMaxNumberLength(2000))).isInstanceOf(JsonNumber.class);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new JsonLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDepth");
    }

    @Test
    void treesAreImmutable() {
        JsonArray array = (JsonArray) Json.parse("[1,2]");
        assertThatThrownBy(() -> array.elements().add(JsonNull.INSTANCE)).isInstanceOf(UnsupportedOperationException.class);
        List<JsonValue> source = new java.util.ArrayList<>(List.of(JsonNumber.of(1)));
        JsonArray copy = new JsonArray(source);
        source.add(JsonNumber.of(2));
        assertThat(copy.size()).isEqualTo(1);
    }
}
