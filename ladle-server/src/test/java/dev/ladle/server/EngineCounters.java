package dev.ladle.server;

/** The engine's internal counters of a running {@link Server}, for tests in other packages. */
public final class EngineCounters {
    private EngineCounters() {
    }

    /** Bytes of file bodies the server sent with {@code sendfile} so far. */
    public static long fileBytesTransferred(Server server) {
        return server.state().counters.fileBytesTransferred.sum();
    }

    /** Blocks of the body buffer pool lent to exchanges and not given back. */
    public static long pooledBlocksLent(Server server) {
        return server.state().bodyBuffers.lent();
    }

    /** Free blocks the body buffer pool keeps. */
    public static int pooledBlocksRetained(Server server) {
        return server.state().bodyBuffers.retained();
    }
}
