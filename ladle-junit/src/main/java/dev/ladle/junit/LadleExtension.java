package dev.ladle.junit;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test method a fresh {@link MockServer} on a free port, and stops
 * it afterwards.
 *
 * <pre>{@code
 * @ExtendWith(LadleExtension.class)
 * class ClientTest {
 *     @Test
 *     void fetchesAUser(MockServer server) {
 *         server.onGet("/users/7").respond(MockResponse.json("{\"name\":\"Ada\"}"));
 *         assertThat(new UserClient(server.uri()).name(7)).isEqualTo("Ada");
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
 * <p><b>Strict by default.</b> After a test that passed, the extension fails it when a request matched
 * no stub or queued response (the client got a 404 the test may have swallowed) or when a stub's
 * condition or answer function threw (the client got a 500). {@link #lenient()} turns both checks off.
 */
public final class LadleExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LadleExtension.class);
    private static final String KEY = "server";

    private final Supplier<MockServer> factory;
    private final boolean strict;
    /** The server of the test running on this thread: tests in parallel each see their own. */
    private final ThreadLocal<MockServer> onThisThread = new ThreadLocal<>();
    /** The server of the latest test, for threads a test started itself. */
    private volatile MockServer latest;

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
     * The server of the running test.
     *
     * @throws IllegalStateException outside a test method and its {@code @BeforeEach}/{@code @AfterEach}
     */
    public MockServer server() {
        MockServer server = onThisThread.get();
        if (server == null) {
            server = latest;
        }
        if (server == null) {
            throw new IllegalStateException("no mock server: LadleExtension starts one per test method, "
                    + "so it exists only from @BeforeEach to @AfterEach");
        }
        return server;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        MockServer server = factory.get();
        if (server == null) {
            throw new IllegalStateException("the LadleExtension factory returned null");
        }
        context.getStore(NAMESPACE).put(KEY, server);
        onThisThread.set(server);
        latest = server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MockServer server = context.getStore(NAMESPACE).remove(KEY, MockServer.class);
        onThisThread.remove();
        if (server == null) {
            return;
        }
        if (latest == server) {
            latest = null;
        }
        server.close();
        if (strict && context.getExecutionException().isEmpty()) {
            check(server);
        }
    }

    private static void check(MockServer server) {
        List<Throwable> failures = server.answerFailures();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a stub's condition or answer threw (the client got 500): "
                    + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        server.assertNoUnmatchedRequests();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        MockServer server = context.getStore(NAMESPACE).get(KEY, MockServer.class);
        if (server == null) {
            throw new ParameterResolutionException("LadleExtension starts a MockServer per test method: inject it "
                    + "into test, @BeforeEach or @AfterEach methods, not into " + parameter.getDeclaringExecutable());
        }
        return server;
    }
}
