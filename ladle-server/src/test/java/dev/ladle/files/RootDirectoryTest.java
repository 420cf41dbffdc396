package dev.ladle.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootDirectoryTest {
    @TempDir
    Path top;
    Path rootPath;
    RootDirectory root;

    @BeforeEach
    void setUp() throws Exception {
        rootPath = Files.createDirectories(top.resolve("root"));
        Files.createDirectories(rootPath.resolve("sub"));
        Files.writeString(top.resolve("secret.txt"), "secret");
        root = new RootDirectory(rootPath);
    }

    @Test
    void aPlainPathResolvesUnderTheRoot() throws Exception {
        assertThat(root.resolve("/sub/a.txt")).isEqualTo(rootPath.toRealPath().resolve("sub/a.txt"));
        assertThat(root.resolve("/")).isEqualTo(rootPath.toRealPath());
    }

    @Test
    void emptyAndDotSegmentsAreIgnored() throws Exception {
        assertThat(root.resolve("//sub/./a.txt")).isEqualTo(rootPath.toRealPath().resolve("sub/a.txt"));
    }

    @Test
    void aDotDotSegmentIsRefusedEvenWhenItStaysInside() {
        assertThat(root.resolve("/sub/../a.txt")).isNull();
        assertThat(root.resolve("/../secret.txt")).isNull();
        assertThat(root.resolve("/..")).isNull();
    }

    @Test
    void nulBackslashAndRelativePathsAreRefused() {
        assertThat(root.resolve("/a\0.txt")).isNull();
        assertThat(root.resolve("/..\\secret.txt")).isNull();
        assertThat(root.resolve("secret.txt")).isNull();
        assertThat(root.resolve(null)).isNull();
    }

    @Test
    void aNameThatOnlyLooksLikeDotsIsAllowed() throws Exception {
        assertThat(root.resolve("/...")).isEqualTo(rootPath.toRealPath().resolve("..."));
        assertThat(root.resolve("/..a")).isEqualTo(rootPath.toRealPath().resolve("..a"));
    }

    @Test
    void aSymbolicLinkLeadingOutIsNotContained() throws Exception {
        Files.createSymbolicLink(rootPath.resolve("out"), top.resolve("secret.txt"));
        Files.createSymbolicLink(rootPath.resolve("out-dir"), top);
        assertThat(root.contains(root.resolve("/out"))).isFalse();
        assertThat(root.contains(root.resolve("/out-dir/secret.txt"))).isFalse();
        assertThat(root.contains(root.resolve("/out-dir/new.txt"))).isFalse();
    }

    @Test
    void aSymbolicLinkStayingInsideIsContained() throws Exception {
        Files.writeString(rootPath.resolve("sub/a.txt"), "a");
        Files.createSymbolicLink(rootPath.resolve("in"), Path.of("sub/a.txt"));
        assertThat(root.contains(root.resolve("/in"))).isTrue();
    }

    @Test
    void aMissingFileIsContainedThroughItsExistingParent() {
        assertThat(root.contains(root.resolve("/sub/new.txt"))).isTrue();
        assertThat(root.contains(root.resolve("/no/such/dir/new.txt"))).isTrue();
    }

    @Test
    void aDanglingSymbolicLinkIsNotContained() throws Exception {
        Files.createSymbolicLink(rootPath.resolve("dangling"), top.resolve("nowhere.txt"));
        assertThat(root.contains(root.resolve("/dangling"))).isFalse();
    }

    @Test
    void aMissingRootIsRefused() {
        assertThatThrownBy(() -> new RootDirectory(top.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root directory not found");
    }

    @Test
    void aPlainPathResolvesAsItsSpellingWithDotsAndDoubleSlashes() {
        for (String path : new String[] {"/sub/a.txt", "/sub/", "/sub", "/a", "/.../b", "/sub/..a/"}) {
            String spelled = "/." + path.replace("/", "//./");
            assertThat(root.resolve(path)).as(path).isEqualTo(root.resolve(spelled));
        }
    }

    @Test
    void aFileInARememberedDirectoryCostsNoWalk() throws Exception {
        Files.writeString(rootPath.resolve("sub/a.txt"), "a");
        Files.writeString(rootPath.resolve("sub/b.txt"), "b");
        assertThat(root.linkFreeAttributes(root.resolve("/sub/a.txt"))).isNotNull();
        assertThat(root.linkFreeAttributes(root.resolve("/sub/b.txt")).size()).isEqualTo(1);
        assertThat(root.linkFreeDirectoriesRemembered()).isEqualTo(1);
    }

    @Test
    void aFileSwappedForALinkOutInARememberedDirectoryIsRefused() throws Exception {
        Path file = rootPath.resolve("sub/a.txt");
        Files.writeString(file, "a");
        assertThat(root.linkFreeAttributes(root.resolve("/sub/a.txt"))).isNotNull();
        Files.delete(file);
        Files.createSymbolicLink(file, top.resolve("secret.txt"));
        assertThat(root.linkFreeAttributes(root.resolve("/sub/a.txt"))).isNull();
        assertThat(root.contains(root.resolve("/sub/a.txt"))).isFalse();
    }

    @Test
    void aRememberedDirectorySwappedForALinkOutIsRefused() throws Exception {
        Files.writeString(rootPath.resolve("sub/a.txt"), "a");
        assertThat(root.linkFreeAttributes(root.resolve("/sub/a.txt"))).isNotNull();
        Path outside = Files.createDirectories(top.resolve("outside"));
        Files.writeString(outside.resolve("a.txt"), "secret");
        FileTime walked = Files.getLastModifiedTime(rootPath.resolve("sub"));
        Files.move(rootPath.resolve("sub"), rootPath.resolve("sub-old"));
        Path link = Files.createSymbolicLink(rootPath.resolve("sub"), outside);
        // the link even has the directory's time: only its type and identity tell them apart
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(walked, null, null);
        assertThat(root.linkFreeAttributes(root.resolve("/sub/a.txt"))).isNull();
        assertThat(root.contains(root.resolve("/sub/a.txt"))).isFalse();
    }

    @Test
    void aDirectoryAboveARememberedOneSwappedForALinkOutIsRefused() throws Exception {
        Files.createDirectories(rootPath.resolve("sub/inner"));
        Files.writeString(rootPath.resolve("sub/inner/a.txt"), "a");
        assertThat(root.linkFreeAttributes(root.resolve("/sub/inner/a.txt"))).isNotNull();
        // the same names and time outside: only the directory's identity tells them apart
        Path outside = Files.createDirectories(top.resolve("outside/inner"));
        Files.writeString(outside.resolve("a.txt"), "secret");
        Files.setLastModifiedTime(outside, Files.getLastModifiedTime(rootPath.resolve("sub/inner")));
        Files.move(rootPath.resolve("sub"), rootPath.resolve("sub-old"));
        Files.createSymbolicLink(rootPath.resolve("sub"), top.resolve("outside"));
        assertThat(root.linkFreeAttributes(root.resolve("/sub/inner/a.txt"))).isNull();
        assertThat(root.contains(root.resolve("/sub/inner/a.txt"))).isFalse();
    }

    @Test
    void aDirectoryAboveReplacedByOneHoldingALinkOutIsRefused() throws Exception {
        Files.createDirectories(rootPath.resolve("sub/inner"));
        Files.writeString(rootPath.resolve("sub/inner/a.txt"), "a");
        assertThat(root.linkFreeAttributes(root.resolve("/sub/inner/a.txt"))).isNotNull();
        Path outside = Files.createDirectories(top.resolve("outside"));
        Files.writeString(outside.resolve("a.txt"), "secret");
        Files.move(rootPath.resolve("sub"), rootPath.resolve("sub-old"));
        Files.createDirectories(rootPath.resolve("sub"));
        Files.createSymbolicLink(rootPath.resolve("sub/inner"), outside);
        assertThat(root.linkFreeAttributes(root.resolve("/sub/inner/a.txt"))).isNull();
        assertThat(root.contains(root.resolve("/sub/inner/a.txt"))).isFalse();
    }
}
