package dev.ladle.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryListingTest {
    @TempDir
    Path dir;

    @Test
    void escapeHtmlEscapesTheFiveSpecialCharacters() {
        assertThat(DirectoryListing.escapeHtml("<a href=\"x\">'&'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    @Test
    void encodeSegmentKeepsOnlyUnreservedCharacters() {
        assertThat(DirectoryListing.encodeSegment("a b?c#d/e:f%g~h.i-j_k")).isEqualTo("a%20b%3Fc%23d%2Fe%3Af%25g~h.i-j_k");
        assertThat(DirectoryListing.encodeSegment("é")).isEqualTo("%C3%A9");
    }

    @Test
    void theTitleIsEscapedToo() throws Exception {
        String page = new String(DirectoryListing.render("/<b>/", dir, false, false), StandardCharsets.UTF_8);
        assertThat(page).contains("<title>Index of /&lt;b&gt;/</title>").doesNotContain("<b>");
    }

    @Test
    void entriesAreSortedWithDirectoriesMarked() throws Exception {
        Files.writeString(dir.resolve("b.txt"), "bb");
        Files.createDirectories(dir.resolve("a"));
        String page = new String(DirectoryListing.render("/", dir, true, false), StandardCharsets.UTF_8);
        assertThat(page.indexOf("href=\"./a/\"")).isPositive().isLessThan(page.indexOf("href=\"./b.txt\""));
        assertThat(page).contains("<td>2</td>");
    }
}
