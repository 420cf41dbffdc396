package dev.ladle.junit;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which server {@link LadleExtension#server()} means on the calling thread. Each test's thread knows
 * its test's scope, and so do the threads it starts (an inheritable thread-local), until the test ends.
 * A thread that belongs to no running test gets the only live server, when there is only one; with
 * several tests running in parallel any other answer could be another test's server, so it gets an
 * exception instead.
 */
final class ServerScopes {
    private final InheritableThreadLocal<ServerScope> onThisThread = new InheritableThreadLocal<>();
    /** The servers of the tests and classes running now. */
    private final Set<ServerScope> live = ConcurrentHashMap.newKeySet();

    /** A test's or class's server starts serving, on the calling thread among others. */
    void open(ServerScope scope) {
        live.add(scope);
        onThisThread.set(scope);
    }

    /** The test or class is over. */
    void close(ServerScope scope) {
        scope.end();
        live.remove(scope);
        if (onThisThread.get() == scope) {
            onThisThread.remove();
        }
    }

    /** A test of a class that shares its server runs on the calling thread. */
    void attach(ServerScope scope) {
        onThisThread.set(scope);
    }

    /** The test that ran on the calling thread is over. */
    void detach() {
        onThisThread.remove();
    }

    MockServer current() {
        ServerScope mine = onThisThread.get();
        if (mine != null && !mine.ended()) {
            return mine.server();
        }
        List<MockServer> servers = live.stream().map(ServerScope::server).distinct().toList();
        if (servers.size() == 1) {
            return servers.get(0);
        }
        if (servers.isEmpty()) {
            throw new IllegalStateException("no mock server: LadleExtension starts one per test method, so it exists "
                    + "only from @BeforeEach to @AfterEach (a static field shares one per class, from @BeforeAll "
                    + "to @AfterAll)");
        }
        throw new IllegalStateException(servers.size() + " tests are running in parallel, each with its own mock server, "
                + "and this thread (" + Thread.currentThread().getName() + ") belongs to none of them, so "
                + "LadleExtension.server() cannot tell which test it is working for: inject MockServer as a parameter "
                + "of the test method and hand it to this thread");
    }
}
