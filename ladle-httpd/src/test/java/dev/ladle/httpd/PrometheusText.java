package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus text format 0.0.4 the way a scraper would, asserting its shape as it goes. */
final class PrometheusText {
    /** A sample line: a metric name, optional labels, a value (the format's grammar, integers only here). */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (-?[0-9]+)");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

    private PrometheusText() {
    }

    /**
     * Parses an exposition: every line is a HELP, a TYPE or a sample; every sample belongs to a family
     * declared (HELP and TYPE) before it, and no family is declared twice. Returns the samples by name
     * and labels.
     */
    static Map<String, Long> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Long> samples = new LinkedHashMap<>();
        assertThat(text).endsWith("\n");
        for (String line : text.split("\n")) {
            Matcher meta = META.matcher(line);
            if (meta.matches()) {
                if (meta.group(1).equals("TYPE")) {
                    assertThat(meta.group(3)).as(line).isIn("counter", "gauge");
                    assertThat(types.put(meta.group(2), meta.group(3))).as("declared once: " + line).isNull();
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: " + line).isTrue();
            String family = sample.group(1).replaceAll("\\{.*", "");
            assertThat(types).as("the family of " + line + " is declared before it").containsKey(family);
            if (types.get(family).equals("counter")) {
                assertThat(family).endsWith("_total");
            }
            samples.put(sample.group(1), Long.parseLong(sample.group(2)));
        }
        return samples;
    }

}
