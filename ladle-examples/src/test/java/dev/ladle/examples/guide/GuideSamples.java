package dev.ladle.examples.guide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code samples of the user guide ({@code docs/*.md}) and the source regions they are copied from.
 *
 * <p>A sample is a fenced block preceded by a marker naming its source, relative to the repository root,
 * and optionally a region of it:
 * <pre>
 * &lt;!-- sample: ladle-examples/src/main/java/dev/ladle/examples/guide/start/HelloServer.java#hello --&gt;
 * ```java
 * ...
 * ```
 * </pre>
 * A region is the lines between {@code tag::NAME[]} and {@code end::NAME[]} comment lines (any comment
 * syntax), without the marker lines of other regions inside it, and without the indentation they share.
 * Without {@code #NAME} the sample is the whole file.
 */
final class GuideSamples {
    /** The repository root, seen from the examples module the tests run in. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DOCS = ROOT.resolve("docs");

    private static final Pattern MARKER = Pattern.compile("^<!-- sample: (\\S+?)(?:#([\\w-]+))? -->$");
    private static final Pattern TAG_LINE = Pattern.compile("^\\s*(?://|#|<!--|;)\\s*(?:tag|end)::[\\w-]+\\[\\]\\s*(?:-->)?\\s*$");

    private GuideSamples() {
    }

    /** One sample: where it stands in the guide and what it claims to copy. */
    record Sample(Path page, int markerLine, Path source, String region, int fenceOpen, int fenceClose) {
        /** The sample's text in the page, between its fences. */
        List<String> shown(List<String> pageLines) {
            return pageLines.subList(fenceOpen + 1, fenceClose);
        }

        @Override
        public String toString() {
            return ROOT.relativize(page) + ":" + (markerLine + 1) + " (" + ROOT.relativize(source)
                    + (region == null ? "" : "#" + region) + ")";
        }
    }

    /** One fenced block of a page, with its language (empty when the fence names none). */
    record Fence(int open, int close, String language) {
    }

    /** The guide's pages: every Markdown file under {@code docs/}. */
    static List<Path> pages() {
        try (var files = Files.list(DOCS)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of a page, in order. */
    static List<Fence> fences(List<String> lines) {
        List<Fence> fences = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                int close = i + 1;
                while (close < lines.size() && !lines.get(close).equals("```")) {
                    close++;
                }
                if (close == lines.size()) {
                    throw new IllegalStateException("unclosed fence at line " + (i + 1));
                }
                fences.add(new Fence(i, close, line.substring(3).strip()));
                i = close;
            }
        }
        return fences;
    }

    /** The samples of a page: each marker with the fence right after it (blank lines allowed between). */
    static List<Sample> samples(Path page, List<String> lines) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i).strip());
            if (!m.matches()) {
                continue;
            }
            int open = i + 1;
            while (open < lines.size() && lines.get(open).isBlank()) {
                open++;
            }
            if (open == lines.size() || !lines.get(open).startsWith("```")) {
                throw new IllegalStateException(page + ":" + (i + 1) + ": a sample marker without a fenced block after it");
            }
            int close = open + 1;
            while (close < lines.size() && !lines.get(close).equals("```")) {
                close++;
            }
            samples.add(new Sample(page, i, ROOT.resolve(m.group(1)).normalize(), m.group(2), open, close));
        }
        return samples;
    }

    /** The lines a sample must show: its region of the source (or the whole file), dedented. */
    static List<String> expected(Sample sample) {
        List<String> source = lines(sample.source());
        List<String> region;
        if (sample.region() == null) {
            region = source;
        } else {
            int start = indexOfTag(source, "tag::" + sample.region() + "[]", sample);
            int end = indexOfTag(source, "end::" + sample.region() + "[]", sample);
            if (end < start) {
                throw new IllegalStateException(sample + ": end:: before tag::");
            }
            region = source.subList(start + 1, end);
        }
        List<String> kept = region.stream().filter(l -> !TAG_LINE.matcher(l).matches()).toList();
        int indent = kept.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return kept.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }

    private static int indexOfTag(List<String> source, String tag, Sample sample) {
        for (int i = 0; i < source.size(); i++) {
            if (TAG_LINE.matcher(source.get(i)).matches() && source.get(i).contains(tag)) {
                return i;
            }
        }
        throw new IllegalStateException(sample + ": no line with " + tag + " in the source");
    }

    /** The page with every sample replaced by what its source says now. */
    static List<String> updated(Path page, List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        List<Sample> samples = samples(page, lines);
        for (int i = samples.size() - 1; i >= 0; i--) {
            Sample s = samples.get(i);
            List<String> body = out.subList(s.fenceOpen() + 1, s.fenceClose());
            body.clear();
            body.addAll(expected(s));
        }
        return out;
    }
}
