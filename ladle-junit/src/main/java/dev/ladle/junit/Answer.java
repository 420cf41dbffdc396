package dev.ladle.junit;

/**
 * The answer chosen for a request, and how the journal describes it.
 *
 * @param response what the client gets
 * @param matchedBy what the test set up that gave it (a stub's description, {@code "queue"}, a proxy),
 *     or null when nothing did (see {@link RecordedRequest#matchedBy()})
 * @param answeredBy what gave it, when that needs saying apart from {@code matchedBy}; null: as matchedBy
 */
record Answer(MockResponse response, String matchedBy, String answeredBy) {
    /** The journal's copy of {@code request}, answered by this. */
    RecordedRequest journaled(RecordedRequest request) {
        return request.answered(response.status(), matchedBy, answeredBy);
    }
}
