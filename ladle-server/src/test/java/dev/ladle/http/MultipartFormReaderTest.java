package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding {@code multipart/form-data} into text fields and a temporary file (the core of Forms.decodeMultipart). */
class MultipartFormReaderTest {
    @TempDir
    Path dir;

    private static InputStream body(Multipart multipart) {
        return new ByteArrayInputStream(multipart.toByteArray());
    }

    private Forms.MultipartForm read(Multipart multipart, String fileControl) throws IOException {
        return MultipartFormReader.read(body(multipart), multipart.getBoundary(), fileControl, dir, Forms.DEFAULT_MAX_TEXT_SIZE, Long.MAX_VALUE);
    }

    private long filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void textFieldsAndFileAreSeparated() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("title", "Holiday");
        multipart.appendFormFile("photo", "beach.jpg", "image/jpeg", new byte[] {1, 2, 3, '\r', '\n'});
        multipart.appendFormString("tags", "sea sun");
        try (Forms.MultipartForm form = read(multipart, "photo")) {
            assertThat(form.fields()).containsExactly(entry("title", "Holiday"), entry("tags", "sea sun"));
            Forms.UploadedFile file = form.file();
            assertThat(file.name()).isEqualTo("photo");
            assertThat(file.filename()).isEqualTo("beach.jpg");
            assertThat(file.contentType()).isEqualTo("image/jpeg");
            assertThat(file.size()).isEqualTo(5);
            assertThat(file.path().getParent()).isEqualTo(dir);
            assertThat(Files.readAllBytes(file.path())).containsExactly(1, 2, 3, '\r', '\n');
        }
    }

    @Test
    void closeDeletesTheTemporaryFile() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "a", null, new byte[10]);
        Forms.MultipartForm form = read(multipart, "f");
        assertThat(form.file().path()).exists();
        form.close();
        assertThat(form.file().path()).doesNotExist();
        form.close();
    }

    @Test
    void closeAfterTheFileWasMovedIsHarmless() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "a", null, new byte[] {7});
        Forms.MultipartForm form = read(multipart, "f");
        Path kept = dir.resolve("kept");
        Files.move(form.file().path(), kept);
        form.close();
        assertThat(kept).hasBinaryContent(new byte[] {7});
    }

    @Test
    void temporaryFileIsPrivateToItsOwner() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "a", null, new byte[1]);
        try (Forms.MultipartForm form = read(multipart, "f")) {
            if (Files.getFileStore(form.file().path()).supportsFileAttributeView("posix")) {
                assertThat(Files.getPosixFilePermissions(form.file().path()))
                        .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
        }
    }

    @Test
    void withoutTheFileControlThereIsNoFile() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("a", "1");
        try (Forms.MultipartForm form = read(multipart, "upload")) {
            assertThat(form.file()).isNull();
            assertThat(form.fields()).containsExactly(entry("a", "1"));
        }
        assertThat(filesInDir()).isZero();
    }

    @Test
    void nullFileControlNameMakesEveryPartATextField() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "a.txt", "text/plain", "content".getBytes(StandardCharsets.UTF_8));
        try (Forms.MultipartForm form = read(multipart, null)) {
            assertThat(form.fields()).containsExactly(entry("f", "content"));
            assertThat(form.file()).isNull();
        }
    }

    @Test
    void repeatedTextFieldKeepsTheLastValue() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("x", "1");
        multipart.appendFormString("x", "2");
        try (Forms.MultipartForm form = read(multipart, null)) {
            assertThat(form.fields()).containsExactly(entry("x", "2"));
        }
    }

    @Test
    void repeatedFileControlKeepsTheLastFileAndDeletesTheEarlierOne() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "one", null, new byte[] {1});
        multipart.appendFormFile("f", "two", null, new byte[] {2, 2});
        try (Forms.MultipartForm form = read(multipart, "f")) {
            assertThat(form.file().filename()).isEqualTo("two");
            assertThat(form.file().size()).isEqualTo(2);
            assertThat(filesInDir()).isEqualTo(1);
        }
        assertThat(filesInDir()).isZero();
    }

    @Test
    void partsThatAreNotNamedFormDataAreSkipped() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        MessageHeaders noDisposition = new MessageHeaders();
        multipart.appendPart(noDisposition, "a".getBytes(StandardCharsets.US_ASCII));
        MessageHeaders attachment = new MessageHeaders();
        attachment.append("Content-Disposition", "attachment; name=\"att\"");
        multipart.appendPart(attachment, "b".getBytes(StandardCharsets.US_ASCII));
        MessageHeaders noName = new MessageHeaders();
        noName.append("Content-Disposition", "form-data; filename=\"x\"");
        multipart.appendPart(noName, "c".getBytes(StandardCharsets.US_ASCII));
        multipart.appendFormString("kept", "d");
        try (Forms.MultipartForm form = read(multipart, null)) {
            assertThat(form.fields()).containsExactly(entry("kept", "d"));
        }
    }

    @Test
    void textFieldsAreUtf8ByDefaultAndHonourACharsetParameter() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("utf8", "\u00e9\u4e2d");
        MessageHeaders latin1 = new MessageHeaders();
        latin1.append("Content-Disposition", "form-data; name=\"latin1\"");
        latin1.append("Content-Type", "text/plain; charset=ISO-8859-1");
        multipart.appendPart(latin1, new byte[] {(byte) 0xE9});
        MessageHeaders unknown = new MessageHeaders();
        unknown.append("Content-Disposition", "form-data; name=\"unknown\"");
        unknown.append("Content-Type", "text/plain; charset=no-such-charset");
        multipart.appendPart(unknown, "\u00e9".getBytes(StandardCharsets.UTF_8));
        try (Forms.MultipartForm form = read(multipart, null)) {
            assertThat(form.fields()).containsExactly(entry("utf8", "\u00e9\u4e2d"), entry("latin1", "\u00e9"), entry("unknown", "\u00e9"));
        }
    }

    @Test
    void textFieldOverTheLimitIsRejected() {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("big", "x".repeat(1001));
        assertThatThrownBy(() -> MultipartFormReader.read(body(multipart), multipart.getBoundary(), null, dir, 1000, Long.MAX_VALUE))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus()).isEqualTo(413))
                .hasMessage("form text fields exceed 1000 bytes (at field \"big\")");
    }

    @Test
    void textFieldsThatAddUpToMoreThanTheLimitAreRejected() {
        Multipart multipart = new Multipart("multipart/form-data");
        for (int i = 0; i < 11; i++) {
            multipart.appendFormString("f" + i, "x".repeat(100));
        }
        assertThatThrownBy(() -> MultipartFormReader.read(body(multipart), multipart.getBoundary(), null, dir, 1000, Long.MAX_VALUE))
                .hasMessage("form text fields exceed 1000 bytes (at field \"f10\")");
    }

    @Test
    void textFieldExactlyAtTheLimitIsAccepted() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormString("ok", "x".repeat(1000));
        try (Forms.MultipartForm form = MultipartFormReader.read(body(multipart), multipart.getBoundary(), null, dir, 1000, Long.MAX_VALUE)) {
            assertThat(form.fields().get("ok")).hasSize(1000);
        }
    }

    @Test
    void fileIsNotLimitedByTheTextLimit() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "big", null, new byte[100_000]);
        try (Forms.MultipartForm form = MultipartFormReader.read(body(multipart), multipart.getBoundary(), "f", dir, 10, Long.MAX_VALUE)) {
            assertThat(form.file().size()).isEqualTo(100_000);
        }
    }

    @Test
    void fileOverItsLimitIsRefused413WithoutReadingOnAndLeavesNoTemporaryFile() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "big", null, new byte[100_001]);
        multipart.appendFormString("after", "x");
        assertThatThrownBy(() -> MultipartFormReader.read(body(multipart), multipart.getBoundary(), "f", dir, 10, 100_000))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus()).isEqualTo(413))
                .hasMessage("the file \"f\" is larger than 100000 bytes");
        assertThat(filesInDir()).isZero();
    }

    @Test
    void fileExactlyAtItsLimitIsAccepted() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data");
        multipart.appendFormFile("f", "big", null, new byte[100_000]);
        try (Forms.MultipartForm form = MultipartFormReader.read(body(multipart), multipart.getBoundary(), "f", dir, 10, 100_000)) {
            assertThat(form.file().size()).isEqualTo(100_000);
        }
    }

    @Test
    void malformedBodyAfterTheFileLeavesNoTemporaryFile() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data", "b");
        multipart.appendFormFile("f", "a", null, new byte[5000]);
        byte[] whole = multipart.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 4); // the closing delimiter loses its "--"
        assertThatThrownBy(() -> MultipartFormReader.read(new ByteArrayInputStream(cut), "b", "f", dir, 100, Long.MAX_VALUE))
                .isInstanceOf(Multipart.FormatException.class);
        assertThat(filesInDir()).isZero();
    }

    @Test
    void bodyCutInsideTheFileLeavesNoTemporaryFile() throws IOException {
        Multipart multipart = new Multipart("multipart/form-data", "b");
        multipart.appendFormFile("f", "a", null, new byte[50_000]);
        byte[] cut = java.util.Arrays.copyOf(multipart.toByteArray(), 30_000);
        assertThatThrownBy(() -> MultipartFormReader.read(new ByteArrayInputStream(cut), "b", "f", dir, 100, Long.MAX_VALUE))
                .hasMessageContaining("no closing boundary");
        assertThat(filesInDir()).isZero();
    }
}
