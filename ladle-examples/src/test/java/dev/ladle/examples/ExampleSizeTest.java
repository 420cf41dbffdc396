package dev.ladle.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18's measure of the services layer: each example is at or below the size of the same service
 * written with Javalin 6.7 (non-import lines, blank ones included, which is the stricter count).
 */
class ExampleSizeTest {
    @ParameterizedTest(name = "{0} within {1} lines")
    @CsvSource({"todos/TodoService.java, 49", "files/FileService.java, 39", "chat/ChatService.java, 31"})
    void anExampleIsNoLongerThanItsJavalinTwin(String file, int javalinLines) throws Exception {
        long lines = Files.readAllLines(Path.of("src/main/java/dev/ladle/examples", file)).stream()
                .filter(line -> !line.startsWith("import "))
                .count();
        assertThat(lines).as(file + " without its imports").isLessThanOrEqualTo(javalinLines);
    }
}
