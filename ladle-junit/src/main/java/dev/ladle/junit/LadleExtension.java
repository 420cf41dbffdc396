package dev.ladle.junit;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that gives each test method a fresh {@link MockServer} on a free port, and stops
 * it afterwards; or, as a {@code static} field, one server for the whole class.
 *
 * <pre>{@code
 * @ExtendWith(LadleExtension.class)
 * class ClientTest {
 *     @Test
 *     void fetchesAUser(MockServer server) {
 *         server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));
 *         assertEquals("Ada", new UserClient(server.uri()).name(7));
 *     }
 * }
 * }</pre>
 *
 * <p>The server can be injected into test methods and {@code @BeforeEach}/{@code @AfterEach} methods,
 * or reached through {@link #server()} when the extension is a {@code @RegisterExtension} field, which
 * is also how to configure it:
 *
 * <pre>{@code
 * @RegisterExtension
 * LadleExtension ladle = LadleExtension.using(() -> MockServer.builder().https(cert).start()).lenient();
 * }</pre>
 *
 * <p><b>One server per class.</b> When the {@code @RegisterExtension} field is {@code static}, the
 * extension starts one server before the class's first test ({@code beforeAll}) and stops it after the
 * last ({@code afterAll}), as WireMock's extension does: the port stays the same, so a client built once
 * for the class (in {@code @BeforeAll}) keeps working. The server can then also be injected into
 * {@code @BeforeAll} methods. After each test it is {@linkplain MockServer#reset() reset}, and the stubs
 * that existed when the first test began (those set up in {@code @BeforeAll}) are put back as they were
 * then, unused (a {@code times(1)} stub answers once in each test, a sequence starts over); the strict
 * checks still run per test. Its tests must not run concurrently with each other (they would reset each
 * other's stubs and journal): the extension fails a test that starts while another uses the server. An
 * instance field, or {@code @ExtendWith}, gives each test its own server.
 *
 * <p><b>Strict by default.</b> After a test that passed, the extension fails it when a request matched
 * nothing the test set up (the client got a 404 the test may have swallowed, or the server refused it:
 * a malformed request, a body over the limit, a plain request to a WebSocket endpoint) or when a stub's
 * condition or answer function threw (the client got a 500). {@link #lenient()} turns both checks off.
 * A stub begun but never finished with {@code respond} fails the test either way.
 *
 * <p><b>Tests in parallel.</b> Each test's server is the one {@link #server()} returns on the test's
 * thread and on the threads it starts (an inheritable thread-local); see {@link #server()} for the other
 * threads.
 */
public final class LadleExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final String KEY = "server";

    private final Supplier<MockServer> factory;
    private final boolean strict;
    /** The servers of the tests (and classes) running now; the threads they run on know theirs too. */
    private final ServerScopes scopes = new ServerScopes();
    /** Where this extension keeps its servers in JUnit's stores: its own, in case a class has two. */
    private final ExtensionContext.Namespace namespace = ExtensionContext.Namespace.create(LadleExtension.class, this);

    /** A strict extension serving plain HTTP (what {@code @ExtendWith(LadleExtension.class)} makes). */
    public LadleExtension() {
        this(MockServer::start, true);
    }

    private LadleExtension(Supplier<MockServer> factory, boolean strict) {
        this.factory = factory;
        this.strict = strict;
    }

    /** An extension whose servers {@code factory} starts, e.g. with HTTPS or a configured {@code Server}. */
    public static LadleExtension using(Supplier<MockServer> factory) {
        return new LadleExtension(Objects.requireNonNull(factory, "factory"), true);
    }

    /** A copy that does not fail tests for unmatched requests or failing stub answers. */
    public LadleExtension lenient() {
        return new LadleExtension(factory, false);
    }

    /**
     * The server of the running test: the one of the test running on this thread, or of the test that
     * started this thread (or the thread that started it, and so on). On another thread (a pool's thread
     * made before the test, say) it is the only server there is, when only one test is running.
     *
     * @throws IllegalStateException outside a test method and its {@code @BeforeEach}/{@code @AfterEach}
     *     (and, for a static field, its class's {@code @BeforeAll}/{@code @AfterAll}); or on a thread that
     *     belongs to no test while several tests run in parallel, since any answer could be another
     *     test's server: inject {@code MockServer} as a parameter of the test method instead
     */
    public MockServer server() {
        return scopes.current();
    }

    /** For a static field: starts the class's server (a nested class shares its enclosing class's). */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(namespace).get(KEY, ServerScope.class) != null) {
            return; // a nested class: its enclosing class's server serves it too
        }
        boolean staticField = AnnotationSupport.findAnnotatedFieldValues(context.getRequiredTestClass(),
                RegisterExtension.class, LadleExtension.class).stream().anyMatch(e -> e == this);
        if (staticField) {
            ServerScope scope = new ServerScope(start(), true);
            context.getStore(namespace).put(KEY, scope);
            scopes.open(scope);
        }
    }

    /** For a static field: stops the class's server. */
    @Override
    public void afterAll(ExtensionContext context) {
        // only the class that started the server has it in its own store (remove does not look further up)
        ServerScope scope = context.getStore(namespace).remove(KEY, ServerScope.class);
        if (scope != null) {
            scopes.close(scope);
            scope.server().close();
        }
    }

    /**
     * Starts the test's server, or, for a static field, lends it the class's (failing a test that comes
     * while another test has it).
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        ServerScope classScope = context.getStore(namespace).get(KEY, ServerScope.class);
        if (classScope != null) {
            classScope.beginTest(context.getUniqueId(), context.getDisplayName());
            scopes.attach(classScope);
            return;
        }
        ServerScope scope = new ServerScope(start(), false);
        context.getStore(namespace).put(KEY, scope);
        scopes.open(scope);
    }

    /**
     * Stops the test's server, or resets the class's, then runs the checks: unfinished stubs always,
     * failing stub answers and unmatched requests when strict and the test passed.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        ServerScope scope = context.getStore(namespace).get(KEY, ServerScope.class);
        if (scope == null) {
            return;
        }
        if (scope.sharedByClass()) {
            if (!scope.usedBy(context.getUniqueId())) {
                return; // this test never got the server (another test had it): nothing of its own to check
            }
            scopes.detach();
            try {
                check(scope.server(), context);
            } finally {
                scope.endTest();
            }
            return;
        }
        context.getStore(namespace).remove(KEY);
        scopes.close(scope);
        scope.server().close(); // throws for unfinished stubs, after stopping the server
        check(scope.server(), context);
    }

    private MockServer start() {
        MockServer server = factory.get();
        if (server == null) {
            throw new IllegalStateException("the LadleExtension factory returned null");
        }
        return server;
    }

    /** The checks after a test: unfinished stubs always; failed stub answers and unmatched requests when strict. */
    private void check(MockServer server, ExtensionContext context) {
        server.requireStubsFinished();
        if (!strict || context.getExecutionException().isPresent()) {
            return;
        }
        List<Throwable> failures = server.answerFailures();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a stub's condition or answer threw (the client got 500): "
                    + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        server.assertNoUnmatchedRequests();
    }

    /** True for a {@link MockServer} parameter. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockServer.class;
    }

    /** The server of the test (or class) being run. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ServerScope scope = context.getStore(namespace).get(KEY, ServerScope.class);
        if (scope == null) {
            throw new ParameterResolutionException("LadleExtension starts a MockServer per test method: inject it "
                    + "into test, @BeforeEach or @AfterEach methods, not into " + parameter.getDeclaringExecutable()
                    + " (a static @RegisterExtension field shares one server per class, injectable into @BeforeAll)");
        }
        return scope.server();
    }
}
