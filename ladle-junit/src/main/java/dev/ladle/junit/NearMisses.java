package dev.ladle.junit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Explains why requests and conditions did not meet: for a request no stub matched, the stubs that
 * came closest, and for a failed verification, the requests that came closest to its pattern, each with
 * the conditions that failed and what the request had instead.
 */
final class NearMisses {
    /** How many near misses a message shows. */
    static final int SHOWN = 3;

    private NearMisses() {
    }

    /** A candidate and the conditions it failed, as {@code condition: what was found} lines. */
    private record Miss(String candidate, List<String> failures, int weight) {
    }

    /**
     * The conditions {@code request} fails, each as {@code description: what it had}; empty when it
     * meets them all. A condition that throws counts as failed, with the exception as what it had.
     */
    static List<String> failed(List<Condition> conditions, RecordedRequest request) {
        List<String> failures = new ArrayList<>();
        for (Condition condition : conditions) {
            String mismatch;
            try {
                mismatch = condition.mismatch(request);
            } catch (RuntimeException | AssertionError e) {
                mismatch = "threw " + e;
            }
            if (mismatch != null) {
                failures.add(condition.description() + ": " + mismatch);
            }
        }
        return failures;
    }

    /** The stubs closest to matching {@code request}, or the empty string when there are none. */
    static String closestStubs(RecordedRequest request, List<Stub> stubs) {
        List<Miss> misses = new ArrayList<>();
        // newest first, as stubs are tried, so that ties show the stub that would have answered
        for (int i = stubs.size() - 1; i >= 0; i--) {
            Stub stub = stubs.get(i);
            misses.add(miss(stub.description(), stub.conditions(), request));
        }
        return format("Closest stubs", misses);
    }

    /** The requests closest to meeting {@code pattern}, or the empty string when there are none. */
    static String closestRequests(RequestPattern pattern, List<RecordedRequest> requests) {
        List<Miss> misses = new ArrayList<>();
        for (RecordedRequest request : requests) {
            Miss miss = miss("#" + request.sequenceNumber() + " " + request, pattern.conditions(), request);
            if (!miss.failures().isEmpty()) {
                misses.add(miss);
            }
        }
        return format("Closest requests", misses);
    }

    /**
     * The message of a failed verification: what was expected, what matched, and the requests that came
     * closest to {@code pattern} with what they lacked.
     */
    static String verificationFailure(Times times, RequestPattern pattern, List<RecordedRequest> all,
            List<RecordedRequest> met) {
        StringBuilder b = new StringBuilder("expected ").append(times).append(" × ").append(pattern.describe())
                .append(" but ").append(met.size() == 1 ? "1 request" : met.size() + " requests").append(" matched");
        if (!met.isEmpty()) {
            b.append(": ").append(met);
        }
        b.append("; ").append(all.isEmpty() ? "no requests were received" : all.size() + " received");
        String closest = closestRequests(pattern, all);
        if (!closest.isEmpty()) {
            b.append('\n').append(closest);
        }
        return b.toString();
    }

    /**
     * The message about requests nothing the test set up answered: each with what answered it, and for
     * the first few the stubs that came closest, as {@code nearMisses} gives them.
     */
    static String unmatchedFailure(List<RecordedRequest> unmatched, Function<RecordedRequest, String> nearMisses) {
        StringBuilder b = new StringBuilder("requests that no stub matched: ")
                .append(unmatched.stream().map(r -> r + " (" + r.answeredBy() + ")").toList());
        for (RecordedRequest request : unmatched.subList(0, Math.min(unmatched.size(), SHOWN))) {
            b.append("\n").append(request).append(": ").append(nearMisses.apply(request));
        }
        return b.toString();
    }

    private static Miss miss(String candidate, List<Condition> conditions, RecordedRequest request) {
        List<String> failures = new ArrayList<>();
        int weight = 0;
        for (Condition condition : conditions) {
            List<String> one = failed(List.of(condition), request);
            if (!one.isEmpty()) {
                failures.addAll(one);
                // a wrong method or path is further off than a wrong header
                weight += condition.target() ? 3 : 1;
            }
        }
        return new Miss(candidate, failures, weight);
    }

    private static String format(String title, List<Miss> misses) {
        if (misses.isEmpty()) {
            return "";
        }
        List<Miss> closest = misses.stream().sorted(Comparator.comparingInt(Miss::weight)).limit(SHOWN).toList();
        StringBuilder b = new StringBuilder(title).append(" (of ").append(misses.size()).append("):");
        for (Miss miss : closest) {
            b.append("\n  ").append(miss.candidate());
            for (String failure : miss.failures()) {
                b.append("\n    x ").append(failure);
            }
        }
        return b.toString();
    }
}
