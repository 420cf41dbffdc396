package dev.ladle.junit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Json.write and Json.writePretty: escaping, layout, and that what is written reads back as the same tree. */
class JsonWriterTest {

    @Test
    void compactTextHasNoWhitespaceAndKeepsMemberOrder() {
        JsonValue value = JsonObject.builder().put("b", 1).put("a", JsonArray.of(JsonBoolean.TRUE, JsonNull.INSTANCE))
                .put("c", JsonObject.of()).build();
        assertThat(Json.write(value)).isEqualTo("{\"b\":1,\"a\":[true,null],\"c\":{}}");
        assertThat(value.toString()).isEqualTo(Json.write(value));
    }

    @Test
    void prettyTextIndentsByTwoSpacesAndKeepsEmptyContainersShort() {
        JsonValue value = Json.parse("{\"a\":1,\"b\":[1,[]],\"c\":{}}");
        assertThat(Json.writePretty(value)).isEqualTo("""
                {
                  "a": 1,
                  "b": [
                    1,
                    []
                  ],
                  "c": {}
                }""");
        assertThat(Json.writePretty(JsonNumber.of(7))).isEqualTo("7");
    }

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharactersOnly() {
        String text = "\"\\/\b\f\n\r\t\u0001\u001f é € 😀 \u2028";
        assertThat(Json.write(JsonString.of(text)))
                .isEqualTo("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F é € 😀 \u2028\"");
    }

    @Test
    void unpairedSurrogatesAreWrittenAsEscapes() {
        String lone = "x" + (char) 0xD83D + "y" + (char) 0xDE00;
        assertThat(Json.write(JsonString.of(lone))).isEqualTo("\"x\\uD83Dy\\uDE00\"");
        assertThat(Json.parse(Json.write(JsonString.of(lone)))).isEqualTo(JsonString.of(lone));
    }

    @Test
    void numbersKeepTheirNotation() {
        assertThat(Json.write(Json.parse("[1.50,1e3,-2E-7,100]"))).isEqualTo("[1.50,1E+3,-2E-7,100]");
        assertThat(Json.write(JsonNumber.of(0.1))).isEqualTo("0.1");
        assertThatThrownBy(() -> JsonNumber.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writingTheParseOfCompactTextGivesTheTextBack() {
        String text = "{\"id\":7,\"name\":\"Ada \\\"the\\\" first\",\"tags\":[\"a\",\"b\"],\"score\":9.50,\"x\":null}";
        assertThat(Json.write(Json.parse(text))).isEqualTo(text);
    }

    /** Property: for random trees, writing then reading (compact or pretty) gives an equal tree, and writing again the same text. */
    @RepeatedTest(200)
    void randomTreesRoundTripThroughCompactAndPrettyText(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 7919L);
        JsonValue tree = randomValue(random, 0);
        String compact = Json.write(tree);
        assertThat(Json.parse(compact)).as(compact).isEqualTo(tree);
        assertThat(Json.write(Json.parse(compact))).isEqualTo(compact);
        String pretty = Json.writePretty(tree);
        assertThat(Json.parse(pretty)).as(pretty).isEqualTo(tree);
        assertThat(Json.writePretty(Json.parse(pretty))).isEqualTo(pretty);
        assertThat(Json.parse(compact.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(tree);
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 4 : 6);
        return switch (kind) {
            case 0 -> JsonString.of(randomString(random));
            case 1 -> randomNumber(random);
            case 2 -> JsonBoolean.of(random.nextBoolean());
            case 3 -> JsonNull.INSTANCE;
            case 4 -> {
                List<JsonValue> elements = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    elements.add(randomValue(random, depth + 1));
                }
                yield JsonArray.of(elements);
            }
            default -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    members.put(randomString(random), randomValue(random, depth + 1));
                }
                yield new JsonObject(members);
            }
        };
    }

    private static JsonNumber randomNumber(Random random) {
        BigDecimal unscaled = new BigDecimal(new java.math.BigInteger(random.nextInt(1, 200), random));
        BigDecimal value = unscaled.scaleByPowerOfTen(random.nextInt(-500, 500));
        return JsonNumber.of(random.nextBoolean() ? value : value.negate());
    }

    /** Any UTF-16 text: ASCII, controls, quotes, backslashes, BMP characters, pairs and unpaired surrogates. */
    private static String randomString(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> b.append((char) random.nextInt(0x20));
                case 1 -> b.append("\"\\/".charAt(random.nextInt(3)));
                case 2 -> b.append((char) random.nextInt(0x20, 0x7F));
                case 3 -> b.append((char) random.nextInt(0x80, 0xD800));
                case 4 -> b.appendCodePoint(random.nextInt(0x10000, 0x110000));
                default -> b.append((char) random.nextInt(0xD800, 0xE000)); // an unpaired surrogate, or half a pair by chance
            }
        }
        return b.toString();
    }
}
