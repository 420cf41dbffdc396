package dev.ladle.junit;

import dev.ladle.junit.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The conditions of a stub being set up, from {@link MockServer#on}; ends with one of the
 * {@code respond} methods, which registers the stub. A stubbing never finished with {@code respond} is
 * a mistake the server reports: until it is finished, every request is answered {@code 500} naming it,
 * and {@link MockServer#verify}, {@link MockServer#close()} and the extension's check after each test
 * throw. A stub being built on another thread is not such a mistake: a request (or a check on another
 * thread) that comes meanwhile waits up to a second for it to be finished. A stubbing whose method
 * refused its arguments (an exception) is abandoned, and not reported.
 *
 * <pre>{@code
 * server.onGet("/items").withHeader("Accept", containing("json")).respond(MockResponse.json("[]"));
 * server.onPost("/items").withBodyContaining("\"name\"").times(1).respond(MockResponse.status(201));
 * }</pre>
 *
 * <p>The path matches exactly (decoded, without the query), or every path under a prefix when it ends
 * with {@code /*}: {@code /api/*} matches {@code /api} and {@code /api/items/7}. A {@code GET} stub
 * also answers {@code HEAD} requests (without the body, as HTTP has it). See {@link RequestConditions}
 * for the conditions.
 */
public final class Stubbing extends RequestConditions<Stubbing> {
    private final StubRegistry registry;
    private final UnfinishedStubs unfinished;
    private int times;
    private String scenario;
    private String requiredState;
    private String nextState;
    private JsonObject mapping;
    private int priority = Stub.DEFAULT_PRIORITY;

    /** What a {@linkplain #respondInSequence(AfterLast, MockResponse...) sequence} does once it is used up. */
    public enum AfterLast {
        /** Every later request gets the last response again. */
        REPEAT_LAST,
        /** The stub stops matching: later requests go to older stubs, the queue, or 404. */
        STOP_MATCHING,
        /**
         * Later requests get 500 and the test fails (as a throwing stub does): for a client that must
         * not call more often than the sequence allows.
         */
        FAIL
    }

    Stubbing(StubRegistry registry, UnfinishedStubs unfinished, String method, String path) {
        super(method, path, true);
        this.registry = registry;
        this.unfinished = unfinished;
        unfinished.begin(this);
    }

    Stubbing(StubRegistry registry, UnfinishedStubs unfinished, String method, StringMatcher path) {
        super(method, path, true);
        this.registry = registry;
        this.unfinished = unfinished;
        unfinished.begin(this);
    }

    /** Makes the stub one of a mapping: it keeps {@code mapping} (for saving) and its {@code priority}. */
    Stubbing fromMapping(JsonObject mapping, int priority) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.priority = priority;
        return this;
    }

    @Override
    Stubbing self() {
        return this;
    }

    @Override
    void abandoned() {
        unfinished.finish(this);
    }

    /**
     * Answers at most {@code times} requests; after that the stub no longer matches (the next stub or
     * the queue answers, or the client gets 404).
     */
    public Stubbing times(int times) {
        if (times < 1) {
            abandoned();
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        this.times = times;
        return this;
    }

    /**
     * Puts the stub in scenario {@code name}: with {@link #whenState} it answers only while the
     * scenario is in that state, and with {@link #willSetStateTo} it moves the scenario on when it
     * answers. Every scenario starts in {@link MockServer#SCENARIO_STARTED}; see
     * {@link MockServer#scenarioState} and {@link MockServer#setScenarioState}.
     *
     * <pre>{@code
     * server.onGet("/order").inScenario("checkout").whenState(SCENARIO_STARTED).respond(MockResponse.json("{\"paid\":false}"));
     * server.onPost("/pay").inScenario("checkout").willSetStateTo("paid").respond(204);
     * server.onGet("/order").inScenario("checkout").whenState("paid").respond(MockResponse.json("{\"paid\":true}"));
     * }</pre>
     */
    public Stubbing inScenario(String name) {
        this.scenario = required(name, "name");
        return this;
    }

    /** Answers only while the stub's {@linkplain #inScenario scenario} is in {@code state}. */
    public Stubbing whenState(String state) {
        this.requiredState = required(state, "state");
        return this;
    }

    /** Moves the stub's {@linkplain #inScenario scenario} to {@code state} each time the stub answers. */
    public Stubbing willSetStateTo(String state) {
        this.nextState = required(state, "state");
        return this;
    }

    /**
     * Registers the stub answering matching requests with {@code responses} in turn, then repeating
     * the last one.
     */
    public Stub respondInSequence(MockResponse... responses) {
        return respondInSequence(AfterLast.REPEAT_LAST, responses);
    }

    /**
     * Registers the stub answering matching requests with {@code responses} in turn; once they are
     * used up it does what {@code afterLast} says.
     *
     * @throws IllegalArgumentException when there is no response
     */
    public Stub respondInSequence(AfterLast afterLast, MockResponse... responses) {
        required(afterLast, "afterLast");
        List<MockResponse> sequence = orAbandon(() -> List.of(required(responses, "responses")));
        if (sequence.isEmpty()) {
            abandoned();
            throw new IllegalArgumentException("a sequence needs at least one response");
        }
        if (afterLast == AfterLast.STOP_MATCHING) {
            times = times == 0 ? sequence.size() : Math.min(times, sequence.size());
        }
        int count = sequence.size();
        return register((request, hit) -> {
            if (hit <= count) {
                return sequence.get(hit - 1);
            }
            if (afterLast == AfterLast.FAIL) {
                throw new AssertionError("the sequence of " + count + " responses of " + describe()
                        + " is used up: request " + hit + " came");
            }
            return sequence.get(count - 1);
        });
    }

    /** Registers the stub answering every matching request with {@code response}. */
    public Stub respond(MockResponse response) {
        required(response, "response");
        return respondWith(request -> response);
    }

    /** Registers the stub answering with {@code status} and an empty body. */
    public Stub respond(int status) {
        return respond(orAbandon(() -> MockResponse.status(status)));
    }

    /** Registers the stub answering with {@code status} and a text body of the given type. */
    public Stub respond(int status, String contentType, String body) {
        return respond(orAbandon(() -> MockResponse.status(status).withBody(contentType, body)));
    }

    /**
     * Registers the stub computing each answer from the request (on the connection's virtual thread;
     * blocking is fine). An exception thrown here answers 500 and fails the test with the extension.
     */
    public Stub respondWith(Function<RecordedRequest, MockResponse> answer) {
        required(answer, "answer");
        return register((request, hit) -> answer.apply(request));
    }

    private Stub register(Stub.Responder responder) {
        if (scenario == null && (requiredState != null || nextState != null)) {
            abandoned();
            throw new IllegalStateException("whenState and willSetStateTo need inScenario first: " + describe());
        }
        if (requiredState != null) {
            String name = scenario;
            String state = requiredState;
            with(new Condition("scenario " + name + " in state " + StringMatcher.quote(state), r -> {
                String now = registry.scenarios().state(name);
                return now.equals(state) ? null : "was in " + StringMatcher.quote(now);
            }, false));
        }
        Stub stub = new Stub(registry, describe(), conditions(), responder, times, scenario, nextState, mapping, priority);
        registry.add(stub);
        unfinished.finish(this);
        return stub;
    }

    /** What the stub will match, as in messages: {@code GET /items (header Accept containing "json")}. */
    String description() {
        return describe();
    }
}
