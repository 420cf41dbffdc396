package dev.ladle.server;

/** The engine's internal counters of a running {@link Server}, for tests in other packages. */
public final class EngineCounters {
    private EngineCounters() {
    }

    /** Bytes of file bodies the server sent with {@code sendfile} so far. */
    public static long fileBytesTransferred(Server server) {
        return server.state().counters.fileBytesTransferred.sum();
    }
}
