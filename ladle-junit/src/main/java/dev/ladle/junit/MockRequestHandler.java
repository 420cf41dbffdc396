package dev.ladle.junit;

import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A {@link MockServer}'s handler: answers each request from what the test set up and journals it. The
 * answer comes from the first that has one: a stub, the queue, a real server when proxying, else a
 * {@code 404} listing the closest stubs. A request is journaled before its answer is written, so once a
 * client has its response the request is in the journal. Requests that expect {@code 100 Continue} are
 * looked up early, from their head, for answers that refuse or hold back the continue.
 *
 * <p>Thread-safe: each request runs on its own virtual thread.
 */
final class MockRequestHandler {
    private static final System.Logger LOG = System.getLogger(MockRequestHandler.class.getName());
    private static final String TEXT = "text/plain; charset=utf-8";

    private final StubRegistry registry;
    private final Journal journal;
    private final UnfinishedStubs unfinished;
    private final ProxyRoute route;
    private final ResponsePlayer player;
    private final List<Throwable> failures;
    private final UnseenRequestWatcher unseen;

    /**
     * Handles every request to {@code server} that no handler on a longer path takes.
     *
     * @param failures where exceptions thrown by the test's stubs go (each one's client gets 500)
     */
    MockRequestHandler(Server server, StubRegistry registry, Journal journal, UnfinishedStubs unfinished,
            ProxyRoute route, ResponsePlayer player, List<Throwable> failures) {
        this.registry = registry;
        this.journal = journal;
        this.unfinished = unfinished;
        this.route = route;
        this.player = player;
        this.failures = failures;
        server.addHandler("/", this::handle);
        this.unseen = new UnseenRequestWatcher(server, journal);
        server.addEarlyHandler("/", this::beforeBody);
    }

    /** Keeps {@code msg} out of the journal: a request to the admin API, not to the mock. */
    void notJournaled(ServerMessage msg) {
        unseen.seen(msg);
    }

    private void handle(Server srv, ServerMessage msg, String path, Map<String, String> query) throws IOException {
        unseen.seen(msg);
        Journal.Ticket ticket = journal.arrive();
        RecordedRequest request = RecordedRequest.copyOf(ticket.number(), msg, query, msg.getRequestBody().flatten());
        String unfinishedStubs = unfinished.forgotten();
        Answer answer = unfinishedStubs != null ? refusal(unfinishedStubs) : answer(request);
        journal.record(ticket, answer.journaled(request));
        player.play(msg, answer.response());
    }

    /** The answer to {@code request} from the first that has one: a stub, the queue, the proxy, else 404. */
    private Answer answer(RecordedRequest request) {
        Answer answer = fromStub(request);
        if (answer == null) {
            MockResponse queued = registry.pollQueued();
            answer = queued == null ? null : new Answer(queued, "queue", null);
        }
        if (answer == null) {
            answer = route.forward(request);
        }
        if (answer == null) {
            answer = new Answer(MockResponse.status(404).withBody(TEXT, "ladle-junit: no stub matches " + request
                    + "\n" + registry.nearMisses(request) + "\n"), null, null);
        }
        return answer;
    }

    private Answer fromStub(RecordedRequest request) {
        StubRegistry.Choice choice = registry.choose(request);
        if (choice == null) {
            return null;
        }
        Stub stub = choice.stub();
        if (choice.failure() != null) {
            return failed(stub, choice.failure());
        }
        // an answer function is test code: if it throws, the client gets a 500 and the test hears of it
        try {
            return new Answer(stub.answer(request, choice.hit()), stub.description(), null);
        } catch (RuntimeException | AssertionError e) {
            return failed(stub, e);
        }
    }

    /** The 500 for a request that came while stubs were left unfinished, which are reported with the stub failures. */
    private Answer refusal(String unfinishedStubs) {
        failures.add(new IllegalStateException(unfinishedStubs));
        return new Answer(MockResponse.status(500).withBody(TEXT, "ladle-junit: " + unfinishedStubs + "\n"),
                null, "no stub: stubs were left unfinished (500)");
    }

    /** Records that {@code stub} threw {@code e}; the answer is the 500 its client gets. */
    private Answer failed(Stub stub, Throwable e) {
        failures.add(e);
        LOG.log(System.Logger.Level.WARNING, "stub " + stub.description() + " failed", e);
        return new Answer(MockResponse.status(500).withBody(TEXT, "ladle-junit: the stub for " + stub.description()
                + " threw " + e + "\n"), stub.description(), null);
    }

    /**
     * Early handler, before a request's body: a request that expects {@code 100 Continue} is looked up
     * by its head, and the response found may refuse the body or hold the 100 back (see
     * {@link MockResponse#withContinueRefused()}).
     */
    private void beforeBody(Server srv, ServerMessage msg, String path, Map<String, String> query) throws IOException {
        if (!ResponsePlayer.expectsContinue(msg)) {
            return;
        }
        RecordedRequest head = RecordedRequest.copyOf(-1, msg, query, new byte[0]); // numbered if journaled
        StubRegistry.Preview preview;
        try {
            preview = registry.preview(head);
        } catch (RuntimeException | AssertionError e) {
            return; // the normal handler meets the same failure with the body, and reports it
        }
        if (preview == null) {
            return;
        }
        MockResponse response = preview.response();
        if (response.continueRefused()) {
            // the answer given now is final: it takes its stub's use (or its place in the queue)
            if (!registry.take(preview, head)) {
                return;
            }
            unseen.seen(msg); // journaled here, not again by the watcher of requests the handler never saw
            Journal.Ticket ticket = journal.arrive();
            RecordedRequest request = RecordedRequest.copyOf(ticket.number(), msg, query, new byte[0]);
            journal.record(ticket, new Answer(response, preview.stub() != null ? preview.stub().description() : "queue",
                    null).journaled(request));
        }
        player.beforeBody(msg, response);
    }
}
