package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.ProtocolClient.Response;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File bodies to a client on the same machine: those larger than a block copied through the server's
 * pooled direct buffers instead of {@code sendfile}, byte-exact, with the buffers given back and the request body budget untouched; and
 * sent by {@code sendfile} after all when the blocks allowed for it are all lent. (Every test here runs over loopback, as the
 * clients of the benchmark's file rows do.)
 */
class LoopbackFileCopyTest {
    private static final int BLOCK = 256 * 1024;

    @TempDir
    Path dir;
    private EngineFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private URI start(Limits limits) throws Exception {
        fixture = EngineFixture.start(limits, server -> server.addHandler("/file", (s, msg, path, query) -> {
            Path file = dir.resolve(path.substring("/file/".length()));
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            msg.getResponseHeaders().replace("Content-Type", "application/octet-stream");
            msg.getResponseBody().appendFile(channel, 0, channel.size());
            if (query != null && query.containsKey("shrinkTo")) {
                try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    writer.truncate(Long.parseLong(query.get("shrinkTo")));
                }
            }
            msg.setStatus(200);
        }));
        return fixture.uri;
    }

    private byte[] write(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Files.write(dir.resolve(name), bytes);
        return bytes;
    }

    @Test
    void filesLargerThanABlockAreCopiedToALoopbackClientNotSentBySendfile() throws Exception {
        URI base = start(new Limits());
        int[] sizes = {BLOCK + 1, 3 * BLOCK + 17, 5 << 20};
        long copied = 0;
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            for (int size : sizes) {
                byte[] expected = write("f" + size, size);
                Response r = client.get("/file/f" + size);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).as("%d bytes", size).isEqualTo(expected);
                copied += size;
            }
        }
        Server server = fixture.server;
        // the server counts a region once its last write returned, which may be after the client has it all
        long expected = copied;
        DisconnectAtEveryPhaseTest.awaitTrue(() -> EngineCounters.fileBytesCopied(server) == expected
                && EngineCounters.pooledBlocksLent(server) == 0, "every byte counted as copied, every block back");
        assertThat(EngineCounters.fileBytesTransferred(server)).as("sent by sendfile").isZero();
        assertThat(EngineCounters.bodyBudgetHeld(server)).isZero();
        assertThat(EngineCounters.pooledBlocksRetained(server)).as("one block, reused").isEqualTo(1);
    }

    @Test
    void aBlockHeldByADownloadIsNotCountedAgainstTheRequestBodyBudget() throws Exception {
        URI base = start(new Limits());
        write("big", 32 << 20);
        try (WireClient wire = new WireClient(base)) {
            // the client reads nothing: the server blocks in a write with its block lent
            wire.get("/file/big");
            DisconnectAtEveryPhaseTest.awaitTrue(() -> EngineCounters.pooledBlocksLent(fixture.server) == 1, "a block lent");
            assertThat(EngineCounters.bodyBudgetHeld(fixture.server)).as("downloads never make uploads wait").isZero();
        }
        DisconnectAtEveryPhaseTest.awaitTrue(() -> EngineCounters.pooledBlocksLent(fixture.server) == 0, "the block back");
    }

    @Test
    void filesUpToABlockGoBySendfile() throws Exception {
        URI base = start(new Limits());
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            for (int size : new int[] {16 * 1024 + 1, 100 * 1024, BLOCK}) {
                byte[] expected = write("f" + size, size);
                assertThat(client.get("/file/f" + size).body()).as("%d bytes", size).isEqualTo(expected);
            }
            // the server counts a file's bytes after its last write returned, possibly after the client has
            // them, but before it reads the next request: one more answer means the three are all counted
            client.get("/file/f" + BLOCK);
        }
        assertThat(EngineCounters.fileBytesCopied(fixture.server)).isZero();
        assertThat(EngineCounters.fileBytesTransferred(fixture.server)).isPositive();
    }

    @Test
    void aSmallFileStillLeavesInTheWriteOfItsHead() throws Exception {
        URI base = start(new Limits());
        byte[] expected = write("small", 1000);
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            assertThat(client.get("/file/small").body()).isEqualTo(expected);
        }
        assertThat(EngineCounters.fileBytesCopied(fixture.server)).isZero();
        assertThat(EngineCounters.fileBytesTransferred(fixture.server)).isZero();
    }

    @Test
    void beyondTheBlocksAllowedTheFileGoesBySendfile() throws Exception {
        URI base = start(new Limits());
        EngineCounters.maxLoopbackCopyBlocks(fixture.server, 0);
        byte[] expected = write("big", 1 << 20);
        try (ProtocolClient client = Protocol.HTTP_1_1.connect(base)) {
            assertThat(client.get("/file/big").body()).isEqualTo(expected);
        }
        DisconnectAtEveryPhaseTest.awaitTrue(() -> EngineCounters.fileBytesTransferred(fixture.server) > 0, "sent by sendfile");
        assertThat(EngineCounters.fileBytesCopied(fixture.server)).isZero();
    }

    @Test
    void aFileThatShrankWhileCopiedCutsTheResponseAndGivesTheBlockBack() throws Exception {
        URI base = start(new Limits());
        int size = 2 << 20;
        write("shrinking", size);
        try (WireClient wire = new WireClient(base)) {
            wire.get("/file/shrinking?shrinkTo=" + (1 << 20));
            WireClient.Response head = wire.readHead();
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(size));
            InputStream in = wire.socket().getInputStream();
            assertThat(in.readAllBytes().length).as("body bytes before the server closed").isLessThan(size);
        }
        try (WireClient wire = new WireClient(base)) {
            wire.assertOpen();
        }
        DisconnectAtEveryPhaseTest.awaitTrue(() -> EngineCounters.pooledBlocksLent(fixture.server) == 0, "the block back");
    }
}
