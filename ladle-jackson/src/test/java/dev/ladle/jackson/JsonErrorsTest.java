package dev.ladle.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import org.junit.jupiter.api.Test;

/** The parts of {@link JsonErrors}' reasons that a round trip through a server does not reach. */
class JsonErrorsTest {

    @Test
    void jacksonsMessageIsCutShort() {
        String reason = JsonErrors.reason(JsonMappingException.from((JsonParser) null, "x".repeat(5000)));
        assertThat(reason).hasSize("malformed JSON: ".length() + 400 + 3).endsWith("x...");
    }

    @Test
    void onlyTheFirstLineOfJacksonsMessageIsKept() {
        assertThat(JsonErrors.reason(JsonMappingException.from((JsonParser) null, "what went wrong\n at some.Internal")))
                .isEqualTo("malformed JSON: what went wrong");
    }

    @Test
    void pathNamesThatAreNoIdentifiersAreQuoted() {
        JsonMappingException e = JsonMappingException.from((JsonParser) null, "bad");
        e.prependPath(new JsonMappingException.Reference(null, "a b"));
        e.prependPath(new JsonMappingException.Reference(null, 3));
        assertThat(JsonErrors.reason(e)).isEqualTo("malformed JSON: bad at $[3][\"a b\"]");
    }
}
