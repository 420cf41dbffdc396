package dev.ladle.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.examples.guide.GuideSamples.Fence;
import dev.ladle.examples.guide.GuideSamples.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 5: the user guide cannot rot. Every code sample in {@code docs/} is a region of a source
 * file of this module, copied exactly; every such source runs as a test; every page is in the guide's
 * index and every link between pages resolves.
 *
 * <p>After changing a sampled source, copy the new text into the guide with
 * {@code ./ladle mvn -o -pl ladle-examples -am test -Dtest=GuideSamplesTest -Dsurefire.failIfNoSpecifiedTests=false -Dguide.update=true}.
 */
class GuideSamplesTest {
    private static final Path MODULE = GuideSamples.ROOT.resolve("ladle-examples");
    /** Blocks that show what a reader types or sees, not code: these need no source. */
    private static final Set<String> NOT_CODE = Set.of("sh", "console", "text", "http");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everySampleShowsItsSourceAsItIsNow() throws IOException {
        boolean update = Boolean.getBoolean("guide.update");
        List<String> stale = new ArrayList<>();
        for (Path page : GuideSamples.pages()) {
            List<String> lines = GuideSamples.lines(page);
            for (Sample sample : GuideSamples.samples(page, lines)) {
                assertThat(sample.source()).as("%s: samples come from the examples module", sample).startsWith(MODULE);
                assertThat(sample.source()).as("%s: the sampled file", sample).isRegularFile();
                if (!sample.shown(lines).equals(GuideSamples.expected(sample))) {
                    stale.add(sample.toString());
                }
            }
            if (update && !stale.isEmpty()) {
                Files.write(page, GuideSamples.updated(page, lines));
            }
        }
        if (update) {
            return;
        }
        assertThat(stale).as("samples that differ from their source (rerun with -Dguide.update=true to copy them)").isEmpty();
    }

    @Test
    void everyCodeBlockIsASample() {
        List<String> loose = new ArrayList<>();
        for (Path page : GuideSamples.pages()) {
            List<String> lines = GuideSamples.lines(page);
            Set<Integer> sampled = new java.util.HashSet<>();
            GuideSamples.samples(page, lines).forEach(s -> sampled.add(s.fenceOpen()));
            for (Fence fence : GuideSamples.fences(lines)) {
                if (!NOT_CODE.contains(fence.language()) && !sampled.contains(fence.open())) {
                    loose.add(GuideSamples.ROOT.relativize(page) + ":" + (fence.open() + 1) + " ```" + fence.language());
                }
            }
        }
        assertThat(loose).as("code blocks without a <!-- sample: ... --> marker (only %s blocks may stand alone)", NOT_CODE)
                .isEmpty();
    }

    @Test
    void everySampledSourceRunsAsATest() throws IOException {
        List<String> untested = new ArrayList<>();
        List<String> testSources;
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/test"))) {
            testSources = files.filter(Files::isRegularFile).map(GuideSamples::lines).map(l -> String.join("\n", l)).toList();
        }
        for (Path page : GuideSamples.pages()) {
            for (Sample sample : GuideSamples.samples(page, GuideSamples.lines(page))) {
                Path source = sample.source();
                String name = source.getFileName().toString();
                if (source.startsWith(MODULE.resolve("src/test/java"))) {
                    if (!name.endsWith("Test.java")) {
                        untested.add(sample + ": a sample from the test sources must be a test class");
                    }
                } else if (source.startsWith(MODULE.resolve("src/main/java"))) {
                    Path test = MODULE.resolve("src/test/java")
                            .resolve(MODULE.resolve("src/main/java").relativize(source)).resolveSibling(name.replace(".java", "Test.java"));
                    if (!Files.isRegularFile(test)) {
                        untested.add(sample + ": no " + MODULE.relativize(test));
                    }
                } else if (testSources.stream().noneMatch(text -> text.contains(name))) {
                    untested.add(sample + ": no test names " + name);
                }
            }
        }
        assertThat(untested).as("sampled sources that no test runs").isEmpty();
    }

    @Test
    void theIndexListsEveryPageAndEveryLinkResolves() {
        Path index = GuideSamples.DOCS.resolve("README.md");
        List<String> indexLinks = links(index);
        List<String> problems = new ArrayList<>();
        for (Path page : GuideSamples.pages()) {
            if (!page.equals(index) && !indexLinks.contains(page.getFileName().toString())) {
                problems.add(page.getFileName() + " is not in docs/README.md");
            }
            for (String link : links(page)) {
                if (!Files.exists(page.resolveSibling(link).normalize())) {
                    problems.add(GuideSamples.ROOT.relativize(page) + " links to " + link + ", which does not exist");
                }
            }
        }
        assertThat(links(GuideSamples.ROOT.resolve("README.md"))).as("the README links the guide").contains("docs/README.md");
        assertThat(problems).isEmpty();
    }

    /** The relative links of a page (outside code blocks), without their anchors. */
    private static List<String> links(Path page) {
        List<String> links = new ArrayList<>();
        List<String> lines = GuideSamples.lines(page);
        boolean inFence = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            Matcher m = LINK.matcher(line);
            while (!inFence && m.find()) {
                String target = m.group(1);
                if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("#") || target.startsWith("mailto:")) {
                    continue;
                }
                int anchor = target.indexOf('#');
                links.add(anchor >= 0 ? target.substring(0, anchor) : target);
            }
        }
        return links;
    }
}
