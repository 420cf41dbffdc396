package dev.ladle.examples.todos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first example is the todos service as its source has it, so the README cannot drift from code that is compiled and tested. */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src/main/java/dev/ladle/examples/todos/TodoService.java");

    @Test
    void everyLineOfTheReadmesTodosExampleStandsInTheServiceInTheSameOrder() throws Exception {
        List<String> example = firstJavaBlockAfter(Files.readAllLines(README), "A JSON REST service");
        assertThat(example).as("the README's todos example").hasSizeGreaterThan(20);
        List<String> source = Files.readAllLines(SOURCE).stream().map(ReadmeExampleTest::code).toList();
        int at = 0;
        for (String line : example) {
            String wanted = code(line);
            if (wanted.isEmpty()) {
                continue;
            }
            int found = indexFrom(source, wanted, at);
            assertThat(found).as("README line not in TodoService.java (after line %d): %s", at + 1, line).isNotNegative();
            at = found + 1;
        }
    }

    /** The lines of the first ```java block after the line containing {@code marker}. */
    private static List<String> firstJavaBlockAfter(List<String> lines, String marker) {
        int start = lines.indexOf(lines.stream().filter(l -> l.contains(marker)).findFirst().orElseThrow());
        int open = start;
        while (!lines.get(open).equals("```java")) {
            open++;
        }
        int close = open + 1;
        while (!lines.get(close).equals("```")) {
            close++;
        }
        return lines.subList(open + 1, close);
    }

    /** A line without its indentation and its trailing comment (the README explains in comments). */
    private static String code(String line) {
        int comment = line.indexOf(" //");
        return (comment >= 0 ? line.substring(0, comment) : line).strip();
    }

    private static int indexFrom(List<String> lines, String wanted, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }
}
