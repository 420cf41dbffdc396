package dev.ladle.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lends the direct buffers that file bodies are copied through to a client on the same machine, where
 * {@code sendfile} saves nothing: over loopback no device reads the page cache, so the receiving process
 * copies the bytes out of it either way, and {@code sendfile} leaves that whole copy, of bytes no cache
 * holds, to the receiver's CPU while the server's waits. Reading the file into a direct buffer and
 * writing it shares the work between the two processes: a 1 GiB download to curl on the same machine
 * ran at 1.3–2.1 GB/s copied against 1.0–1.1 GB/s by {@code sendfile}, the JDK's own file server (which
 * copies) at 1.5. Only regions larger than one block are copied: for smaller ones {@code sendfile} spent
 * less of the server's CPU and won when many were sent at once (100 KiB files on 50 connections: 14.4–15.9k
 * by {@code sendfile} against 11.6–13.0k copied; 256 KiB even; 512 KiB 2.6–2.8k against 2.9k; 1 MiB
 * 1.1k against 1.4–1.6k). Over a network, where the card reads the page cache itself, {@code sendfile}
 * stays for every size.
 *
 * <p>One per server. The buffers are the server's {@link BodyBufferPool} blocks, one lent for each file
 * region being sent and given back once it is; at most {@link #maxBlocks} at a time (64 by default:
 * 16 MiB), beyond which regions go by {@code sendfile} after all. They are not counted against the
 * request body budget, so that downloads never make uploads wait.
 */
public final class LoopbackFileCopy {
    private final ServerState state;
    private final AtomicInteger lent = new AtomicInteger();
    /** The most blocks lent at once; 0 sends every file with {@code sendfile} (tests of that path set it). */
    private volatile int maxBlocks = 64;

    LoopbackFileCopy(ServerState state) {
        this.state = state;
    }

    /** Returns this for a plain TCP connection on {@code channel} whose peer is on this machine, else null. */
    LoopbackFileCopy forPeer(SocketChannel channel) {
        if (channel == null) {
            return null;
        }
        try {
            return onThisMachine(channel.getRemoteAddress()) ? this : null;
        } catch (IOException e) {
            // closed already: nothing will be sent
            return null;
        }
    }

    /** Returns true when {@code peer} is a loopback address, the one kind of peer files are copied to. */
    static boolean onThisMachine(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }

    /** Sets the most blocks lent at once; 0 sends every file with {@code sendfile}. */
    public void setMaxBlocks(int blocks) {
        this.maxBlocks = blocks;
    }

    /**
     * Lends a block to copy a file region of {@code length} bytes through, or returns null when the region
     * goes by {@code sendfile}: when it is no larger than a block, or the most blocks allowed are lent.
     */
    PooledBlock lend(long length) {
        if (length <= BodyBufferPool.BLOCK_SIZE) {
            return null;
        }
        if (lent.incrementAndGet() > maxBlocks) {
            lent.decrementAndGet();
            return null;
        }
        return state.bodyBuffers.take();
    }

    /** Counts {@code bytes} of a file that went to the socket copied. */
    void copied(long bytes) {
        state.counters.fileBytesCopied.add(bytes);
    }

    /** Takes back a block {@link #lend} lent. */
    void giveBack(PooledBlock block) {
        state.bodyBuffers.giveBack(block);
        lent.decrementAndGet();
    }
}
