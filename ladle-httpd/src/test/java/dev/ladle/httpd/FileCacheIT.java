package dev.ladle.httpd;

import static dev.ladle.httpd.Clients.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ladle-httpd's memory cache of small files, against the jar: on by default, where a file replaced or
 * rewritten is served as it is now, and only an edit that keeps the size and sets the modification time
 * back goes unseen; {@code --no-file-cache} reads every file for every request, so even that edit is seen.
 */
class FileCacheIT {
    private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minusSeconds(3600));

    @TempDir
    Path root;

    private Path settled(String name, String content) throws Exception {
        Path file = Files.writeString(root.resolve(name), content);
        Files.setLastModifiedTime(file, HOUR_AGO);
        return file;
    }

    /** Rewrites {@code file} in place with {@code content} (the same length) and sets its time back. */
    private static void editWithTimeSetBack(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, HOUR_AGO);
    }

    @Test
    void byDefaultChangesAStatShowsAreServedAndAnEditWithTheTimeSetBackIsNot() throws Exception {
        Path file = settled("a.txt", "first");
        try (HttpdProcess httpd = HttpdProcess.serve(root, 1, "--root", root.toString(), "--bind", "127.0.0.1", "--port", "0")) {
            URI base = httpd.uri();
            assertThat(get(base, "/a.txt").body()).isEqualTo("first");

            editWithTimeSetBack(file, "other");
            assertThat(get(base, "/a.txt").body()).as("kept, and the stat shows no change").isEqualTo("first");
            Files.writeString(file, "newer");
            assertThat(get(base, "/a.txt").body()).as("a new modification time").isEqualTo("newer");
        }
    }

    @Test
    void noFileCacheReadsEveryFileForEveryRequest() throws Exception {
        Path file = settled("a.txt", "first");
        try (HttpdProcess httpd = HttpdProcess.serve(root, 1, "--root", root.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--no-file-cache")) {
            URI base = httpd.uri();
            assertThat(get(base, "/a.txt").body()).isEqualTo("first");
            editWithTimeSetBack(file, "other");
            assertThat(get(base, "/a.txt").body()).isEqualTo("other");
        }
    }
}
