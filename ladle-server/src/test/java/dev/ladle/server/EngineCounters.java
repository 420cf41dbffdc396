package dev.ladle.server;

/** The engine's internal counters of a running {@link Server}, for tests in other packages. */
public final class EngineCounters {
    private EngineCounters() {
    }

    /** Bytes of file bodies the server sent with {@code sendfile} so far. */
    public static long fileBytesTransferred(Server server) {
        return server.state().counters.fileBytesTransferred.sum();
    }

    /** Bytes of file bodies the server copied to clients on this machine instead of using {@code sendfile}. */
    public static long fileBytesCopied(Server server) {
        return server.state().counters.fileBytesCopied.sum();
    }

    /**
     * Makes the server send files with {@code sendfile} to clients on this machine too, as it does to
     * remote ones: tests of that path run over loopback, where large files are copied by default.
     */
    public static void useSendfileOnLoopback(Server server) {
        maxLoopbackCopyBlocks(server, 0);
    }

    /** Sets how many pool blocks may copy files to clients on this machine at once (64 by default). */
    public static void maxLoopbackCopyBlocks(Server server, int blocks) {
        server.state().loopbackFileCopy.setMaxBlocks(blocks);
    }

    /** Bytes of memory the body budget counts as held now. */
    public static long bodyBudgetHeld(Server server) {
        return server.state().counters.bodyBudget.held();
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
