package dev.ladle.examples.guide.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The guide's {@code guide/dependency.xml} names the artifact and the version this build makes. */
class DependencySnippetTest {
    private static final Pattern VERSION = Pattern.compile("<version>([^<]+)</version>");

    @Test
    void theDependencySnippetNamesTheCoreAtTheBuildsVersion() throws Exception {
        String snippet = Files.readString(Path.of("src/main/resources/guide/dependency.xml"));
        String parent = Files.readString(Path.of("../pom.xml"));
        Matcher built = VERSION.matcher(parent);
        assertThat(built.find()).isTrue();
        assertThat(snippet).contains("<groupId>dev.ladle</groupId>", "<artifactId>ladle-server</artifactId>",
                "<version>" + built.group(1) + "</version>");
        assertThat(Path.of("../ladle-server/pom.xml")).content().contains("<artifactId>ladle-server</artifactId>");
    }
}
