package dev.ladle.junit.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonEquality: exact and lenient structural comparison, and the explanation of the first difference. */
class JsonEqualityTest {
    private static final JsonEquality EXACT = JsonEquality.exact();

    private static Optional<String> difference(JsonEquality equality, String expected, String actual) {
        return equality.firstDifference(Json.parse(expected), Json.parse(actual)).map(JsonDifference::message);
    }

    @Test
    void exactEqualityIgnoresMemberOrderAndNumberNotation() {
        assertThat(EXACT.test(Json.parse("{\"a\":1,\"b\":[1.0,2]}"), Json.parse("{\"b\":[1,2.00],\"a\":1e0}"))).isTrue();
    }

    @Test
    void exactEqualityAgreesWithEquals() {
        JsonValue a = Json.parse("{\"a\":[1,{\"b\":null}]}");
        JsonValue b = Json.parse("{\"a\":[1,{\"b\":false}]}");
        assertThat(EXACT.test(a, a)).isEqualTo(a.equals(a)).isTrue();
        assertThat(EXACT.test(a, b)).isEqualTo(a.equals(b)).isFalse();
    }

    @Test
    void aDifferentValueIsNamedByItsPath() {
        assertThat(difference(EXACT, "{\"items\":[{},{},{\"name\":\"a\"}]}", "{\"items\":[{},{},{\"name\":\"b\"}]}"))
                .contains("at $.items[2].name: expected \"a\" but was \"b\"");
    }

    @Test
    void aDifferentKindSaysBothKinds() {
        assertThat(difference(EXACT, "{\"id\":7}", "{\"id\":\"7\"}")).contains("at $.id: expected a number 7 but was a string \"7\"");
        assertThat(difference(EXACT, "null", "{}")).contains("at $: expected null but was an object {}");
    }

    @Test
    void aMissingFieldIsNamed() {
        assertThat(difference(EXACT, "{\"id\":7,\"name\":\"x\"}", "{\"name\":\"x\"}")).contains("missing field $.id (expected 7)");
    }

    @Test
    void anExtraFieldIsNamedUnlessExtraFieldsAreIgnored() {
        assertThat(difference(EXACT, "{\"a\":{}}", "{\"a\":{\"b c\":true}}")).contains("unexpected field $.a['b c'] (was true)");
        assertThat(difference(EXACT.ignoringExtraFields(), "{\"a\":{}}", "{\"a\":{\"b c\":true},\"d\":1}")).isEmpty();
    }

    @Test
    void ignoringExtraFieldsStillRequiresTheExpectedOnes() {
        assertThat(difference(EXACT.ignoringExtraFields(), "{\"a\":{\"x\":1}}", "{\"a\":{\"y\":1}}")).contains("missing field $.a.x (expected 1)");
    }

    @Test
    void arrayOrderMattersUnlessIgnored() {
        assertThat(difference(EXACT, "[1,2,3]", "[3,1,2]")).contains("at $[0]: expected 1 but was 3");
        assertThat(difference(EXACT.ignoringArrayOrder(), "[1,2,3]", "[3,1,2]")).isEmpty();
        assertThat(difference(EXACT.ignoringArrayOrder(), "[1,1,2]", "[1,2,2]")).contains("at $[2]: expected 1 but was 2");
    }

    @Test
    void arraysOfDifferentLengthSaySo() {
        assertThat(difference(EXACT, "{\"a\":[1,2]}", "{\"a\":[1,2,3]}")).contains("at $.a: expected 2 elements but was 3 elements [1,2,3]");
        assertThat(difference(EXACT.ignoringExtraArrayItems(), "[1,2]", "[1]")).contains("at $: expected at least 2 elements but was 1 element [1]");
    }

    @Test
    void ignoringArrayOrderWithOneElementLeftOnEachSideExplainsHowTheyDiffer() {
        assertThat(difference(EXACT.ignoringArrayOrder(), "{\"items\":[{\"name\":\"a\"},{\"name\":\"c\"}]}",
                "{\"items\":[{\"name\":\"c\"},{\"name\":\"b\"}]}"))
                .contains("at $.items[1].name: expected \"a\" but was \"b\"");
    }

    @Test
    void ignoringArrayOrderWithSeveralLeftOverNamesTheFirst() {
        assertThat(difference(EXACT.ignoringArrayOrder(), "[1,2,3]", "[3,4,5]"))
                .contains("at $: no element matches expected element [0] 1 (2 of 3 expected elements unmatched)");
    }

    @Test
    void ignoringArrayOrderFindsAPairingWhereAGreedyOneFails() {
        // the first expected element fits both actual ones; taking the first would leave the second expected one without
        JsonEquality lenient = EXACT.ignoringArrayOrder().ignoringExtraFields();
        assertThat(difference(lenient, "[{\"a\":1},{\"a\":1,\"b\":2}]", "[{\"a\":1,\"b\":2},{\"a\":1,\"c\":3}]")).isEmpty();
        assertThat(difference(lenient, "[{\"a\":1,\"b\":2},{\"a\":1,\"b\":2}]", "[{\"a\":1,\"b\":2},{\"a\":1,\"c\":3}]"))
                .contains("missing field $[1].b (expected 2)");
    }

    @Test
    void ignoringExtraArrayItemsKeepsTheExpectedOrder() {
        JsonEquality extraItems = EXACT.ignoringExtraArrayItems();
        assertThat(difference(extraItems, "[1,3]", "[0,1,2,3,4]")).isEmpty();
        assertThat(difference(extraItems, "[3,1]", "[0,1,2,3,4]"))
                .contains("at $: no element after those matching the first 1 element matches expected element [1] 1");
        assertThat(difference(extraItems.ignoringArrayOrder(), "[3,1]", "[0,1,2,3,4]")).isEmpty();
    }

    @Test
    void optionsApplyAtEveryDepth() {
        JsonEquality lenient = EXACT.ignoringArrayOrder().ignoringExtraFields();
        assertThat(lenient.test(Json.parse("{\"o\":{\"tags\":[\"x\",\"y\"]}}"),
                Json.parse("{\"id\":1,\"o\":{\"tags\":[\"y\",\"x\"],\"more\":[]}}"))).isTrue();
    }

    @Test
    void longValuesAreCutShortInMessages() {
        String longText = "x".repeat(200);
        String message = difference(EXACT, "\"a\"", "\"" + longText + "\"").orElseThrow();
        assertThat(message).hasSizeLessThan(120).endsWith("...");
    }

    @Test
    void theReportedPathCompilesAndSelectsTheActualNode() {
        JsonValue actual = Json.parse("{\"a b\":[{\"it's\":2}]}");
        JsonDifference d = EXACT.firstDifference(Json.parse("{\"a b\":[{\"it's\":1}]}"), actual).orElseThrow();
        assertThat(d.path()).isEqualTo("$['a b'][0]['it\\'s']");
        assertThat(JsonPath.compile(d.path()).select(actual)).containsExactly(JsonNumber.of(2));
    }

    @Test
    void describesItsOptions() {
        assertThat(EXACT).hasToString("exact JSON equality");
        assertThat(EXACT.ignoringArrayOrder().ignoringExtraFields()).hasToString("JSON equality ignoring array order and extra fields");
    }

    @Test
    void aLargeShuffledArrayMatchesIgnoringOrder() {
        List<JsonValue> numbers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            numbers.add(JsonObject.builder().put("n", i).build());
        }
        List<JsonValue> shuffled = new ArrayList<>(numbers);
        Collections.shuffle(shuffled, new Random(1));
        assertThat(EXACT.ignoringArrayOrder().test(JsonArray.of(numbers), JsonArray.of(shuffled))).isTrue();
    }
}
