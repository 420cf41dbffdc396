package dev.ladle.files;

import dev.ladle.http.HttpDates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The HTML page listing a directory that has no index file ({@link StaticFiles#setDirectoryListing}).
 * Every name is HTML-escaped in the text and percent-encoded in the link, so a file called
 * {@code <script>} or {@code a"b} is shown as text and links to itself.
 */
final class DirectoryListing {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private DirectoryListing() {
    }

    /** One line of the listing. */
    private record Entry(String name, boolean directory, long size, String modified) {
    }

    /**
     * Renders the listing of {@code directory}.
     *
     * @param requestPath the decoded request path of the directory, ending with {@code /}
     * @param atRoot true for the root directory, which gets no link to its parent
     * @param hidden true to list names starting with a dot, which are left out otherwise (they could not
     *     be fetched either)
     */
    static byte[] render(String requestPath, Path directory, boolean atRoot, boolean hidden) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                if (hidden || !StaticFiles.isHidden(child.getFileName().toString())) {
                    entries.add(entry(child));
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        String title = "Index of " + escapeHtml(requestPath);
        StringBuilder html = new StringBuilder(256 + entries.size() * 160);
        html.append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>").append(title)
                .append("</title>\n</head>\n<body>\n<h1>").append(title).append("</h1>\n<table>\n")
                .append("<tr><th>Name</th><th>Size</th><th>Last modified</th></tr>\n");
        if (!atRoot) {
            html.append("<tr><td><a href=\"../\">../</a></td><td></td><td></td></tr>\n");
        }
        for (Entry e : entries) {
            String suffix = e.directory ? "/" : "";
            html.append("<tr><td><a href=\"./").append(escapeHtml(encodeSegment(e.name))).append(suffix)
                    .append("\">").append(escapeHtml(e.name)).append(suffix).append("</a></td><td>")
                    .append(e.directory ? "-" : Long.toString(e.size)).append("</td><td>")
                    .append(e.modified).append("</td></tr>\n");
        }
        html.append("</table>\n</body>\n</html>\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Entry entry(Path child) {
        String name = child.getFileName().toString();
        try {
            // follows links, so a link to a directory is listed as one; where it leads is checked on access
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
            return new Entry(name, attributes.isDirectory(), attributes.size(),
                    HttpDates.format(attributes.lastModifiedTime().toInstant()));
        } catch (IOException e) {
            // a dangling link or an entry removed meanwhile: still listed, without details
            return new Entry(name, false, 0, "");
        }
    }

    /** Escapes the five characters that are special in HTML text and attribute values. */
    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Percent-encodes a file name as one URI path segment: everything but RFC 3986's unreserved
     * characters is encoded as UTF-8, so {@code ?}, {@code #}, {@code /} and {@code :} cannot change
     * the link's meaning.
     */
    static String encodeSegment(String name) {
        StringBuilder out = new StringBuilder(name.length() + 16);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
