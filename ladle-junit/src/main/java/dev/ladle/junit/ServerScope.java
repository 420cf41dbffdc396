package dev.ladle.junit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One server a {@link LadleExtension} started, and for how long it serves: one test, or (for a static
 * extension field) a whole class, whose tests then take turns with it.
 */
final class ServerScope {
    /** The test using a class's server: its unique id (to recognise it) and its name (for messages). */
    private record Use(String id, String name) {
    }

    private final MockServer server;
    private final boolean sharedByClass;
    private final AtomicReference<Use> user = new AtomicReference<>();
    /**
     * The stubs made before the class's first test (in {@code @BeforeAll}) and the hits each had then:
     * after each test they are put back as they were, so that every test finds them unused.
     */
    private Map<Stub, Integer> classStubs;
    private volatile boolean ended;

    ServerScope(MockServer server, boolean sharedByClass) {
        this.server = server;
        this.sharedByClass = sharedByClass;
    }

    MockServer server() {
        return server;
    }

    /** True for a class's server, which outlives each test. */
    boolean sharedByClass() {
        return sharedByClass;
    }

    /** True once the test or class is over: threads it started no longer get its server. */
    boolean ended() {
        return ended;
    }

    void end() {
        ended = true;
    }

    /**
     * A test of the class begins using the shared server.
     *
     * @throws IllegalStateException when another test of the class is using it right now
     */
    void beginTest(String id, String name) {
        Use current = user.get();
        if (!user.compareAndSet(null, new Use(id, name))) {
            Use other = current != null ? current : user.get();
            throw new IllegalStateException("test \"" + name + "\" started while \"" + (other == null ? "another test"
                    : other.name()) + "\" uses the same mock server: a static LadleExtension field shares one server "
                    + "per class and resets it after each test, so its tests cannot run concurrently. Run the class "
                    + "with @Execution(ExecutionMode.SAME_THREAD), or make the field an instance field (a server per test).");
        }
        if (classStubs == null) {
            classStubs = new LinkedHashMap<>();
            server.stubs().forEach(stub -> classStubs.put(stub, stub.hits()));
        }
    }

    /** True when the test with {@code id} is the one using the shared server. */
    boolean usedBy(String id) {
        Use current = user.get();
        return current != null && current.id().equals(id);
    }

    /** The test is over: the server forgets it (the class's own stubs come back) and is free for the next. */
    void endTest() {
        server.reset();
        classStubs.forEach((stub, hits) -> {
            stub.restoreHits(hits);
            server.add(stub);
        });
        user.set(null);
    }
}
