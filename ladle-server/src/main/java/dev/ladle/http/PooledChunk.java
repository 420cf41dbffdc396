package dev.ladle.http;

import dev.ladle.server.internal.PooledBlock;
import java.nio.ByteBuffer;

/**
 * Body bytes in a block of the server's buffer pool: {@code data} is a view of {@code block}'s buffer.
 * Immutable; the block goes back to the pool when the exchange that read it ends.
 */
record PooledChunk(ByteBuffer data, PooledBlock block) {
}
