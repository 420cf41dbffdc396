package dev.ladle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MessageBody}'s file regions and shared buffers, without a server. */
class MessageBodyTest {
    @TempDir
    Path dir;

    private Path file(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("f" + size), bytes);
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    @Test
    void aFileRegionCountsInTheLengthAndFlattensToTheFilesBytes() throws IOException {
        Path path = file(200_000);
        MessageBody body = new MessageBody();
        body.append("head:");
        body.appendFile(open(path), 1000, 150_000);
        body.append(":tail");
        assertThat(body.length()).isEqualTo(5 + 150_000 + 5);
        byte[] expected = Files.readAllBytes(path);
        byte[] flat = body.flatten();
        assertThat(new String(flat, 0, 5)).isEqualTo("head:");
        assertThat(Arrays.copyOfRange(flat, 5, 150_005)).isEqualTo(Arrays.copyOfRange(expected, 1000, 151_000));
        assertThat(new String(flat, 150_005, 5)).isEqualTo(":tail");
    }

    @Test
    void getChunkReadsAFileRegionInPiecesOfAtMost64KiB() throws IOException {
        Path path = file(100_000);
        MessageBody body = new MessageBody();
        body.appendFile(open(path), 0, 100_000);
        body.complete();
        ByteBuffer first = body.getChunk(0);
        assertThat(first.remaining()).isEqualTo(64 * 1024);
        ByteBuffer second = body.getChunk(64 * 1024);
        assertThat(second.remaining()).isEqualTo(100_000 - 64 * 1024);
        assertThat(second.get(0)).isEqualTo(Files.readAllBytes(path)[64 * 1024]);
        assertThat(body.getChunk(100_000).hasRemaining()).isFalse();
    }

    @Test
    void truncateClosesTheFilesTheBodyTookOver() throws IOException {
        FileChannel channel = open(file(10));
        MessageBody body = new MessageBody();
        body.appendFile(channel, 0, 10);
        body.truncate();
        assertThat(channel.isOpen()).isFalse();
        assertThat(body.length()).isZero();
    }

    @Test
    void aFileThatShrankMakesReadingTheRegionFailNamingIt() throws IOException {
        Path path = file(1000);
        MessageBody body = new MessageBody();
        body.appendFile(open(path), 0, 1000);
        try (FileChannel writer = FileChannel.open(path, StandardOpenOption.WRITE)) {
            writer.truncate(400);
        }
        assertThatThrownBy(body::flatten).isInstanceOf(UncheckedIOException.class).hasMessageContaining("shrank");
        assertThatThrownBy(() -> body.getChunk(500)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void appendFileRefusesNegativeRangesAndCompleteBodies() throws IOException {
        MessageBody body = new MessageBody();
        FileChannel channel = open(file(10));
        assertThatThrownBy(() -> body.appendFile(channel, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> body.appendFile(channel, 0, -5)).isInstanceOf(IllegalArgumentException.class);
        body.complete();
        assertThatThrownBy(() -> body.appendFile(channel, 0, 5)).isInstanceOf(IllegalStateException.class);
        channel.close();
    }

    @Test
    void appendOwnedSharesTheBuffersBytesAndLeavesItsPositionToTheCaller() {
        ByteBuffer data = ByteBuffer.wrap("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        data.position(2).limit(8);
        MessageBody body = new MessageBody();
        body.appendOwned(data);
        data.position(0).limit(10);
        assertThat(body.length()).isEqualTo(6);
        ByteBuffer chunk = body.getChunk(0);
        assertThat(chunk.hasArray() && chunk.array() == data.array()).isTrue();
        assertThat(new String(body.flatten(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("234567");
    }

    @Test
    void aDirectBufferAppendedOwnedIsKeptAsItIs() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4}).flip();
        MessageBody body = new MessageBody();
        body.appendOwned(direct);
        body.appendOwned(new byte[] {5});
        assertThat(body.getChunk(0).isDirect()).isTrue();
        assertThat(body.flatten()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void appendSharedSharesTheSourcesChunksWithoutCopyingThem() throws IOException {
        MessageBody source = new MessageBody();
        byte[] first = {1, 2, 3};
        source.appendOwned(first);
        source.appendOwned(ByteBuffer.allocateDirect(2).put(new byte[] {4, 5}).flip());
        source.appendFile(open(file(10)), 0, 10);
        MessageBody target = new MessageBody();
        target.append("<");
        target.appendShared(source);
        assertThat(target.length()).isEqualTo(1 + 3 + 2 + 10);
        assertThat(target.getChunk(1).array()).isSameAs(first);
        assertThat(Arrays.copyOfRange(target.flatten(), 0, 6)).containsExactly('<', 1, 2, 3, 4, 5);
    }

    @Test
    void appendSharedRefusesASourceWhoseChunksWereDiscarded() {
        MessageBody source = new MessageBody();
        source.setAccumulate(false);
        source.appendOwned(new byte[] {1});
        source.appendOwned(new byte[] {2});
        source.wroteChunk(source.getChunk(0));
        assertThatThrownBy(() -> new MessageBody().appendShared(source)).isInstanceOf(IllegalStateException.class);
    }
}
