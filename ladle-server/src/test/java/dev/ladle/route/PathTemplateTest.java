package dev.ladle.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and matching of one {@link PathTemplate}, and the errors a bad one is refused with. */
class PathTemplateTest {

    @Test
    void parameterTakesOneSegment() {
        PathTemplate t = PathTemplate.parse("/todos/{id}/notes/{note}");
        assertThat(t.parameterNames()).containsExactly("id", "note");
        assertThat(t.match("/todos/7/notes/a")).containsExactly(Map.entry("id", "7"), Map.entry("note", "a"));
        assertThat(t.match("/todos/7/notes")).isNull();
        assertThat(t.match("/todos/7/notes/a/b")).isNull();
        assertThat(t.match("/todos//notes/a")).as("a parameter never matches an empty segment").isNull();
    }

    @Test
    void restParameterTakesTheRemainderIncludingSlashes() {
        PathTemplate t = PathTemplate.parse("/files/{path...}");
        assertThat(t.endsWithRest()).isTrue();
        assertThat(t.match("/files/a/b/c.txt")).containsExactly(Map.entry("path", "a/b/c.txt"));
        assertThat(t.match("/files/a/")).containsExactly(Map.entry("path", "a/"));
        assertThat(t.match("/files/")).containsExactly(Map.entry("path", ""));
        assertThat(t.match("/files")).isNull();
        assertThat(t.match("/filesystem/x")).isNull();
    }

    @Test
    void literalsMatchExactlyAndTrailingSlashCounts() {
        PathTemplate t = PathTemplate.parse("/todos");
        assertThat(t.match("/todos")).isEmpty();
        assertThat(t.match("/todos/")).isNull();
        assertThat(t.match("/Todos")).isNull();
        assertThat(PathTemplate.parse("/").match("/")).isEmpty();
        assertThat(PathTemplate.parse("/").match("/x")).isNull();
    }

    @Test
    void pathThatIsNotAbsoluteNeverMatches() {
        assertThat(PathTemplate.parse("/{rest...}").match("*")).isNull();
    }

    @Test
    void templateWithoutLeadingSlashIsRefused() {
        assertThatThrownBy(() -> PathTemplate.parse("todos/{id}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> PathTemplate.parse(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
    }

    @Test
    void duplicateParameterNameIsRefused() {
        assertThatThrownBy(() -> PathTemplate.parse("/a/{id}/b/{id}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate parameter name \"id\" in \"/a/{id}/b/{id}\"");
    }

    @Test
    void restParameterThatIsNotLastIsRefused() {
        assertThatThrownBy(() -> PathTemplate.parse("/files/{path...}/meta"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{path...} takes the rest of the path, so it must be the last segment");
    }

    @Test
    void emptyParameterNameIsRefused() {
        assertThatThrownBy(() -> PathTemplate.parse("/todos/{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty parameter name in \"/todos/{}\"");
        assertThatThrownBy(() -> PathTemplate.parse("/files/{...}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty parameter name in \"/files/{...}\"");
    }

    @Test
    void parameterThatIsNotAWholeSegmentIsRefused() {
        for (String bad : new String[] {"/todos/id{id}", "/todos/{id}.json", "/todos/{id", "/todos/id}", "/{a}{b}"}) {
            assertThatThrownBy(() -> PathTemplate.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a parameter must be a whole segment");
        }
    }

    @Test
    void parameterNameWithOtherCharactersIsRefused() {
        assertThatThrownBy(() -> PathTemplate.parse("/todos/{i d}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter name \"i d\"").hasMessageContaining("may only have letters, digits");
    }

    @Test
    void shapeLeavesOutTheNames() {
        assertThat(PathTemplate.parse("/todos/{id}/{rest...}").shape())
                .isEqualTo(PathTemplate.parse("/todos/{key}/{path...}").shape());
        assertThat(PathTemplate.parse("/todos/{id}").shape()).isNotEqualTo(PathTemplate.parse("/todos/new").shape());
    }
}
