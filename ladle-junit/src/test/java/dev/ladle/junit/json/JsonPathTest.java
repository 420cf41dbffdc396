package dev.ladle.junit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JsonPath: the supported subset of RFC 9535, what it selects, and how bad paths are reported. */
class JsonPathTest {
    private static final JsonValue STORE = Json.parse("""
            {"store": {
               "name": "corner",
               "items": [
                 {"name": "pan", "price": 10, "tags": ["iron"]},
                 {"name": "pot", "price": 20.5},
                 {"name": "lid", "box": {"name": "inner"}}
               ],
               "odd key": {"it's": true}
            }}""");

    private static List<String> select(String path) {
        return JsonPath.compile(path).select(STORE).stream().map(Json::write).toList();
    }

    @Test
    void dollarSelectsTheRoot() {
        assertThat(JsonPath.compile("$").select(STORE)).containsExactly(STORE);
    }

    @Test
    void dotAndBracketNamesSelectMembers() {
        assertThat(select("$.store.name")).containsExactly("\"corner\"");
        assertThat(select("$['store'][\"name\"]")).containsExactly("\"corner\"");
        assertThat(select("$.store['odd key']['it\\'s']")).containsExactly("true");
        assertThat(select("$[ 'store' ].name")).containsExactly("\"corner\"");
    }

    @Test
    void indexesSelectElementsAndNegativeOnesCountFromTheEnd() {
        assertThat(select("$.store.items[0].name")).containsExactly("\"pan\"");
        assertThat(select("$.store.items[-1].name")).containsExactly("\"lid\"");
        assertThat(select("$.store.items[3]")).isEmpty();
        assertThat(select("$.store.items[-4]")).isEmpty();
    }

    @Test
    void wildcardsSelectEveryElementOrMemberValue() {
        assertThat(select("$.store.items[*].price")).containsExactly("10", "20.5");
        assertThat(select("$.store.items.*.price")).containsExactly("10", "20.5");
        assertThat(select("$.store['odd key'][*]")).containsExactly("true");
    }

    @Test
    void deepScanFindsNamesAtAnyDepthInDocumentOrder() {
        assertThat(select("$..name")).containsExactly("\"corner\"", "\"pan\"", "\"pot\"", "\"lid\"", "\"inner\"");
        assertThat(select("$.store.items..name")).containsExactly("\"pan\"", "\"pot\"", "\"lid\"", "\"inner\"");
        assertThat(select("$..tags[0]")).containsExactly("\"iron\"");
        assertThat(select("$..[0]")).containsExactly("{\"name\":\"pan\",\"price\":10,\"tags\":[\"iron\"]}", "\"iron\"");
        assertThat(select("$..['it\\'s']")).containsExactly("true");
    }

    @Test
    void selectorsThatDoNotApplySelectNothing() {
        assertThat(select("$.store.items.name")).isEmpty();
        assertThat(select("$.store.name[0]")).isEmpty();
        assertThat(select("$.nothing.here")).isEmpty();
        assertThat(JsonPath.compile("$[*]").select(JsonNumber.of(1))).isEmpty();
    }

    @Test
    void deepScanOfAVeryDeepTreeDoesNotRecurse() {
        JsonValue deep = JsonString.of("bottom");
        for (int i = 0; i < 100_000; i++) {
            deep = JsonArray.of(deep);
        }
        assertThat(JsonPath.compile("$..*").select(deep)).hasSize(100_000);
    }

    @Test
    void definitePathsHaveNoWildcardOrDeepScan() {
        assertThat(JsonPath.compile("$.a[0]['b']").isDefinite()).isTrue();
        assertThat(JsonPath.compile("$.a[*]").isDefinite()).isFalse();
        assertThat(JsonPath.compile("$..a").isDefinite()).isFalse();
    }

    @Test
    void pathsAreEqualByTheirExpression() {
        assertThat(JsonPath.compile("$.a")).isEqualTo(JsonPath.compile("$.a")).hasToString("$.a");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``            | 0 | a JSON path starts with '$' but found the end
            store.name    | 0 | a JSON path starts with '$' but found 's'
            $.            | 2 | expected a name or '*' after '.' but found the end (write other names in brackets: ['my-name'])
            $.a[          | 4 | expected an index, '*' or a quoted name but found the end
            $.a[0         | 5 | expected ']' to close the '[' at position 3 but found the end
            $.a['x        | 6 | expected ' to end the name that starts at position 4 but found the end
            $.a[?(@.b)]   | 4 | filter expressions ([?...]) are not supported
            $.a[0:2]      | 5 | slices ([start:end]) are not supported
            $.a[0,1]      | 5 | unions ([a,b]) are not supported
            $.a[01]       | 4 | an index has no leading zeros and no '-0'
            $..           | 3 | expected a name, '*' or '[' after '..' but found the end
            $.content-type | 9 | expected '.', '..' or '[' but found '-' (write names with such characters in brackets: ['my-name'])
            $a            | 1 | expected '.', '..' or '[' but found 'a'
            """)
    void invalidPathsNameThePositionAndWhatWasExpected(String path, int position, String reason) {
        JsonPathException e = catchThrowableOfType(JsonPathException.class, () -> JsonPath.compile(path));
        assertThat(e.position()).isEqualTo(position);
        assertThat(e.expression()).isEqualTo(path);
        assertThat(e.getMessage()).isEqualTo("invalid JSON path \"" + path + "\" at position " + position + ": " + reason);
    }

    @Test
    void anIndexBeyondIntIsRejected() {
        assertThatThrownBy(() -> JsonPath.compile("$[99999999999]")).isInstanceOf(JsonPathException.class)
                .hasMessageContaining("index out of range");
    }
}
