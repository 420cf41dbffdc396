package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.http.HttpDates;
import dev.ladle.http.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileValidatorsTest {
    @TempDir
    Path dir;

    private static BasicFileAttributes attributes(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class);
    }

    @Test
    void theValidatorsAreThoseOfTheFileAndItsLastModifiedFormatted() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-01T10:00:00.123456789Z")));
        FileValidators v = FileValidators.of(attributes(file));
        assertThat(v.validators()).isEqualTo(Validators.of(attributes(file)));
        assertThat(v.lastModified()).isEqualTo("Wed, 01 May 2024 10:00:00 GMT")
                .isEqualTo(HttpDates.format(v.validators().lastModified()));
    }

    @Test
    void theSameAttributesAreAnsweredFromTheTable() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        assertThat(FileValidators.of(attributes(file))).isSameAs(FileValidators.of(attributes(file)));
    }

    @Test
    void aChangedFileGetsNewValidatorsNotTheRememberedOnes() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-01T10:00:00Z")));
        FileValidators before = FileValidators.of(attributes(file));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-01T10:00:00.000000001Z")));
        FileValidators after = FileValidators.of(attributes(file));
        assertThat(after.validators().etag()).isNotEqualTo(before.validators().etag());
        assertThat(after.validators()).isEqualTo(Validators.of(attributes(file)));
        Files.writeString(file, "b");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-01T10:00:00Z")));
        // same size and time, but the write kept the inode: the same validators are right
        assertThat(FileValidators.of(attributes(file)).validators()).isEqualTo(Validators.of(attributes(file)));
        Path other = Files.writeString(dir.resolve("b.txt"), "b");
        Files.setLastModifiedTime(other, FileTime.from(Instant.parse("2024-05-01T10:00:00Z")));
        assertThat(FileValidators.of(attributes(other)).validators().etag()).isNotEqualTo(before.validators().etag());
    }
}
